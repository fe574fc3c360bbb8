import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` as soon as the request's head arrives.
/// curl and other tools send it before a large body and otherwise wait a second for the answer;
/// the request then goes on as any other (a refusal still comes as the final status). Browsers
/// never send it.
final class ExpectContinue: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(var head) = unwrapInboundIn(data), let expect = head.headerFields[.expect] {
            if expect.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
            head.headerFields[.expect] = nil
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        context.fireChannelRead(data)
    }
}

/// Lets a connection read up to 256 KiB at a time when a body streams in fast (NIO's default
/// stops at 64 KiB): a 200 MB upload then passes through in fewer pieces, each of which costs a
/// hop between the event loop and the handler's task. 1 MiB was no faster and tripled the
/// gateway's memory under 20 uploads at once. The allocator starts small and shrinks again.
final class LargeReads: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 256 * 1024))
            .whenComplete { _ in }
    }
}
