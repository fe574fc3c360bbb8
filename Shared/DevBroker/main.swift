// kpi-broker: hosts librdkafka's mock cluster on loopback for local runs and tests, where no
// Apache Kafka runs. Creates every declared topic, writes the bootstrap address to the file
// named by --address-file (or KPI_BROKER_ADDRESS_FILE), and runs until SIGTERM or SIGINT.
// Messages live in memory only, about 5 MB of batches per partition.
import Foundation
import KPIEvents
import KPIKafka
@preconcurrency import CRdKafka

kpi_line_buffer_stdout()

var addressFile = ProcessInfo.processInfo.environment["KPI_BROKER_ADDRESS_FILE"]
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    if arg == "--address-file" { addressFile = args.popFirst() }
}

do {
    let cluster = try KafkaMockCluster(brokers: 1)
    for topic in Topics.all { try cluster.createTopic(topic.name, partitions: topic.partitions) }
    let bootstrap = cluster.bootstrapServers
    if let addressFile {
        let tmp = addressFile + ".tmp"
        try Data((bootstrap + "\n").utf8).write(to: URL(fileURLWithPath: tmp))
        _ = rename(tmp, addressFile)  // readers never see a half-written file
    }
    print("kpi-broker listening on \(bootstrap) with topics \(Topics.all.map(\.name).joined(separator: ", "))")

    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    let stop = DispatchSemaphore(value: 0)
    let sources = [SIGTERM, SIGINT].map { sig -> DispatchSourceSignal in
        let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        s.setEventHandler { stop.signal() }
        s.resume()
        return s
    }
    stop.wait()
    _ = sources
    cluster.shutdown()
    if let addressFile { try? FileManager.default.removeItem(atPath: addressFile) }
    print("kpi-broker stopped")
} catch {
    FileHandle.standardError.write(Data("kpi-broker: \(error)\n".utf8))
    exit(1)
}
