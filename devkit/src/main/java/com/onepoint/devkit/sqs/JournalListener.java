package com.onepoint.devkit.sqs;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Status;
import org.elasticmq.actor.queue.OperationSuccessful$;
import org.elasticmq.actor.queue.QueueEvent;

/**
 * ElasticMQ's queue event listener, writing to a {@link SqsJournal}. ElasticMQ's queue actors ask it about every
 * message added, updated (received, visibility changed) and removed, and answer their client only after its reply:
 * the reply comes once the journal has committed the change (and synced it, for an added message). A journal failure
 * is answered with a {@link Status.Failure}, so ElasticMQ does not acknowledge the operation (its client sees an error, not a lie).
 * Queue creation and metadata events are ignored: every boot creates the queues from the template again.
 */
final class JournalListener extends AbstractActor {
    private final SqsJournal journal;

    private JournalListener(SqsJournal journal) {
        this.journal = journal;
    }

    static Props props(SqsJournal journal) {
        return Props.create(JournalListener.class, () -> new JournalListener(journal));
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(QueueEvent.MessageAdded.class, e -> {
                    SqsJournal.Reply reply = replyTo(getSender());
                    byte[] state = encode(e.message(), reply);
                    if (state != null) {
                        journal.add(e.queueName(), e.message().id(), state, reply);
                    }
                })
                .match(QueueEvent.MessageUpdated.class, e -> {
                    SqsJournal.Reply reply = replyTo(getSender());
                    byte[] state = encode(e.message(), reply);
                    if (state != null) {
                        journal.update(e.queueName(), e.message().id(), state, reply);
                    }
                })
                .match(QueueEvent.MessageRemoved.class, e ->
                        journal.remove(e.queueName(), e.messageId(), replyTo(getSender())))
                .match(QueueEvent.QueueDeleted.class, e -> journal.dropQueue(e.queueName()))
                .matchAny(ignored -> {
                    // QueueCreated, QueueMetadataUpdated: told, never asked; the template is the queues' source
                })
                .build();
    }

    private static byte[] encode(org.elasticmq.actor.queue.InternalMessage message, SqsJournal.Reply reply) {
        try {
            return MessageCodec.encode(message);
        } catch (RuntimeException e) {
            reply.done(e);
            return null;
        }
    }

    private static SqsJournal.Reply replyTo(ActorRef asker) {
        return failure -> asker.tell(failure == null ? OperationSuccessful$.MODULE$ : new Status.Failure(failure),
                ActorRef.noSender());
    }
}
