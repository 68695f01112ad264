/**
 * What the bundles of a Tansu node share: the {@link tansu.api.Consensus} service that replicates
 * commands, and the {@link tansu.api.StateMachine} whiteboard SPI that applies them and reports
 * what changed.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package tansu.api;
