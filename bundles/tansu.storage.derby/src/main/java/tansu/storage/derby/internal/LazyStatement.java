package tansu.storage.derby.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A statement of one connection prepared on its first use, then kept; closed with its connection. */
final class LazyStatement {

    private final Connection connection;
    private final String sql;
    private PreparedStatement prepared;

    LazyStatement(Connection connection, String sql) {
        this.connection = connection;
        this.sql = sql;
    }

    PreparedStatement get() throws SQLException {
        if (prepared == null) {
            prepared = connection.prepareStatement(sql);
        }
        return prepared;
    }
}
