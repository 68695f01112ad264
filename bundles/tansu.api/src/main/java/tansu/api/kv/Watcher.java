package tansu.api.kv;

import tansu.api.ChangeEvent;

/** Receives a watch's events. Called on the apply thread: must not block. */
public interface Watcher {

    /** One change, in revision order. */
    void event(ChangeEvent event);

    /** Changes after the revision asked for are no longer kept; live events follow from {@code revision}. */
    void reset(long revision);
}
