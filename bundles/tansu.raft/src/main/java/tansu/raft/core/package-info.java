/**
 * The Raft protocol as a pure state machine, in the manner of etcd's raft library: every input is a
 * {@link tansu.raft.core.Message} given to {@link tansu.raft.core.RaftCore#step}, time is
 * {@link tansu.raft.core.RaftCore#tick}, and all output is an immutable {@link tansu.raft.core.Ready}
 * batch that the caller persists, sends and applies before calling
 * {@link tansu.raft.core.RaftCore#advance}. No threads, clocks, sockets or storage in here.
 */
package tansu.raft.core;
