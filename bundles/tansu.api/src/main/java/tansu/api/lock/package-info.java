/**
 * Locks held over a session: the service that grants them in arrival order with fencing tokens.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package tansu.api.lock;
