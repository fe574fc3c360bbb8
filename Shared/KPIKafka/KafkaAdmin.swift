@preconcurrency import CRdKafka
import Foundation

/// Operator actions on consumer groups, over the Kafka protocol only.
public enum KafkaAdmin {
    /// Sets a consumer group's committed offsets of `topic` back to the start of every partition,
    /// so its consumers re-read everything (the group must have no live members).
    public static func resetGroupToEarliest(bootstrap: String, group: String, topic: String, partitions: Int32) async throws {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                cont.resume(with: Result {
                    let conf = try makeConf(["bootstrap.servers": bootstrap, "group.id": group,
                                             "enable.auto.commit": "false"])
                    let rk = try newClient(RD_KAFKA_CONSUMER, conf)
                    defer { rd_kafka_destroy(rk) }
                    let list = rd_kafka_topic_partition_list_new(partitions)!
                    defer { rd_kafka_topic_partition_list_destroy(list) }
                    for p in 0..<partitions {
                        rd_kafka_topic_partition_list_add(list, topic, p)!.pointee.offset = 0
                    }
                    let err = rd_kafka_commit(rk, list, 0)
                    if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
                })
            }
        }
    }
}
