/**
 * The replicated key-value store: {@link tansu.api.kv.KeyValueStore} and the values, requests and
 * results it takes and gives.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package tansu.api.kv;
