/**
 * The durable state of a Raft node, and the service that stores it ({@link tansu.api.storage.RaftStorage}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package tansu.api.storage;
