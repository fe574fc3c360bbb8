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
