package tansu.api.discovery;

import java.util.Set;

/**
 * A source of addresses ({@code host:port}) where other nodes of this node's environment may answer.
 * Who answers there, and whether it may vote, is for the consensus bundle to find out: discovery only
 * says where to look.
 */
public interface Discovery {

    /** The addresses known now; may include this node's own. Must not block. */
    Set<String> addresses();
}
