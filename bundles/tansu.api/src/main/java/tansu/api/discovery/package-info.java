/**
 * How a node finds the other nodes of its environment: a whiteboard of {@link tansu.api.discovery.Discovery}
 * services (a static member list, mDNS, ...), all consulted.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package tansu.api.discovery;
