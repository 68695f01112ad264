package tansu.api.kv;

import java.util.concurrent.CompletionStage;

/**
 * The key-value store of the cluster. Keys are absolute paths ({@code /a/b}, parent {@code /a}).
 * Writes are replicated through consensus and complete once applied on this node.
 */
public interface KeyValueStore {

    /** Name of the state machine (and of its log entries). */
    String MACHINE = "kv";

    CompletionStage<KvResult> put(PutRequest request);

    /** Deletes the key and every key below it. */
    CompletionStage<KvResult> delete(DeleteRequest request);

    /**
     * {@link #put}, for a caller whose continuations are short and never wait: the stage may complete
     * on the thread that drives consensus (see {@link tansu.api.Consensus#proposeDirect}).
     */
    default CompletionStage<KvResult> putDirect(PutRequest request) {
        return put(request);
    }

    /** {@link #delete}, for a caller whose continuations are short and never wait (see {@link #putDirect}). */
    default CompletionStage<KvResult> deleteDirect(DeleteRequest request) {
        return delete(request);
    }

    /** The key and, where asked, its direct children; linearizable unless {@code local}. */
    CompletionStage<ReadResult> get(String key, boolean children, boolean local);

    /**
     * Delivers the changes to {@code key} (and below it, where {@code recursive}) after revision
     * {@code after}: first those still in history, then live ones. Where history no longer reaches
     * back to {@code after}, {@link Watcher#reset} is called instead of replaying.
     */
    Watch watch(String key, boolean recursive, long after, Watcher watcher);

    /** The revision of the newest change applied on this node. */
    long revision();
}
