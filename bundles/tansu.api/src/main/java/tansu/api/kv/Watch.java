package tansu.api.kv;

/** A registered watch; closing it stops its events. */
public interface Watch extends AutoCloseable {

    @Override
    void close();
}
