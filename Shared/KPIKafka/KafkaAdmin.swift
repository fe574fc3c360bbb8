@preconcurrency import CRdKafka
import Foundation

/// Operator actions on consumer groups, over the Kafka protocol only.
public enum KafkaAdmin {
    /// Sets a consumer group's committed offsets of `topic` back to the start of every partition,
    /// so its consumers re-read everything. The group must have no other live members: this
    /// joins it, waits for the assignment of every partition, commits offset 0 for each and leaves.
    public static func resetGroupToEarliest(bootstrap: String, group: String, topic: String, partitions: Int32,
                                            timeout: Duration = .seconds(30)) async throws {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                cont.resume(with: Result { try reset(bootstrap: bootstrap, group: group, topic: topic,
                                                     partitions: partitions, timeout: timeout) })
            }
        }
    }

    /// How many records of `topics` the group has not committed yet (committed offset to the
    /// partition's end, summed). A partition without a committed offset counts from its start.
    /// Asks without joining the group, so its live members are not disturbed.
    public static func groupLag(bootstrap: String, group: String, topics: [String: Int32], timeoutMs: Int32 = 5000) async throws -> Int64 {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Int64, any Error>) in
            DispatchQueue.global().async {
                cont.resume(with: Result {
                    let conf = try makeConf(["bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": "false", "log_level": "3"])
                    let rk = try newClient(RD_KAFKA_CONSUMER, conf)
                    defer { rd_kafka_destroy(rk) }
                    let list = rd_kafka_topic_partition_list_new(Int32(topics.values.reduce(0, +)))!
                    defer { rd_kafka_topic_partition_list_destroy(list) }
                    for (topic, partitions) in topics {
                        for p in 0..<partitions { rd_kafka_topic_partition_list_add(list, topic, p) }
                    }
                    let err = rd_kafka_committed(rk, list, timeoutMs)
                    if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
                    var lag: Int64 = 0
                    for i in 0..<Int(list.pointee.cnt) {
                        let tp = list.pointee.elems[i]
                        var low: Int64 = 0, high: Int64 = 0
                        let werr = rd_kafka_query_watermark_offsets(rk, tp.topic, tp.partition, &low, &high, timeoutMs)
                        if werr != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(werr) }
                        let committed = tp.offset >= 0 ? max(tp.offset, low) : low
                        lag += max(0, high - committed)
                    }
                    return lag
                })
            }
        }
    }

    private static func reset(bootstrap: String, group: String, topic: String, partitions: Int32, timeout: Duration) throws {
        let conf = try makeConf(["bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": "false",
                                 "session.timeout.ms": "6000", "fetch.wait.max.ms": "10", "log_level": "3"])
        let rk = try newClient(RD_KAFKA_CONSUMER, conf)
        defer { rd_kafka_consumer_close(rk); rd_kafka_destroy(rk) }
        rd_kafka_poll_set_consumer(rk)
        let subscription = rd_kafka_topic_partition_list_new(1)!
        defer { rd_kafka_topic_partition_list_destroy(subscription) }
        rd_kafka_topic_partition_list_add(subscription, topic, RD_KAFKA_PARTITION_UA)
        var err = rd_kafka_subscribe(rk, subscription)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }

        let deadline = ContinuousClock.now + timeout
        while assignedCount(rk) < partitions {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(code: -1, message: "group \(group) did not assign all \(partitions) partitions to the reset (other members alive?)")
            }
            if let msg = rd_kafka_consumer_poll(rk, 100) { rd_kafka_message_destroy(msg) }
        }
        let offsets = rd_kafka_topic_partition_list_new(partitions)!
        defer { rd_kafka_topic_partition_list_destroy(offsets) }
        for p in 0..<partitions { rd_kafka_topic_partition_list_add(offsets, topic, p)!.pointee.offset = 0 }
        err = rd_kafka_commit(rk, offsets, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
    }

    private static func assignedCount(_ rk: OpaquePointer) -> Int32 {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(rk, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return 0 }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return list.pointee.cnt
    }
}
