package tansu.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;

import org.junit.Test;

/** The order of a non-blocking answer: write only when the output is ready, complete only once all is out. */
public class NonBlockingBodyTest {

    private static final byte[] BODY = "{\"value\":\"v\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** An output whose readiness the test decides, as a socket's would be. */
    private static final class Output extends ServletOutputStream {
        boolean ready = true;
        boolean readyAfterWrite = true;
        WriteListener listener;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            this.listener = listener;
        }

        @Override
        public void write(int b) {
            written.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            written.write(b, off, len);
            ready = readyAfterWrite;
        }
    }

    private final Output out = new Output();
    private int completed;

    private final AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> switch (method.getName()) {
            case "getResponse" -> response();
            case "complete" -> {
                completed++;
                yield null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
        });

    private ServletResponse response() {
        return (ServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServletResponse.class},
            (proxy, method, args) -> {
                if (method.getName().equals("getOutputStream")) {
                    return out;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    }

    @Test
    public void aBodyTheSocketTakesAtOnceIsWrittenAndTheExchangeCompleted() throws Exception {
        NonBlockingBody body = new NonBlockingBody(async);
        assertNotNull("listens for the output's readiness", out.listener);
        body.send(BODY);
        assertArrayEquals(BODY, out.written.toByteArray());
        assertEquals(1, completed);
        out.listener.onWritePossible();
        assertEquals("completed once", 1, completed);
    }

    @Test
    public void theContainersFirstCallBeforeTheBodyWritesNothing() throws Exception {
        NonBlockingBody body = new NonBlockingBody(async);
        out.listener.onWritePossible();
        assertEquals(0, out.written.size());
        assertEquals(0, completed);
        body.send(BODY);
        assertArrayEquals(BODY, out.written.toByteArray());
    }

    @Test
    public void anOutputNotReadyIsWrittenWhenTheContainerSaysItIs() throws Exception {
        NonBlockingBody body = new NonBlockingBody(async);
        out.ready = false;
        body.send(BODY);
        assertEquals(0, out.written.size());
        out.ready = true;
        out.listener.onWritePossible();
        assertArrayEquals(BODY, out.written.toByteArray());
        assertEquals(1, completed);
    }

    @Test
    public void aBodyTheSocketTakesInPartsCompletesOnceAllIsOut() throws Exception {
        NonBlockingBody body = new NonBlockingBody(async);
        out.readyAfterWrite = false;
        body.send(BODY);
        assertArrayEquals(BODY, out.written.toByteArray());
        assertEquals(0, completed);
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(1, completed);
        assertArrayEquals("written once", BODY, out.written.toByteArray());
    }

    @Test
    public void anErrorCompletesTheExchangeAndNothingIsWrittenAfter() throws Exception {
        NonBlockingBody body = new NonBlockingBody(async);
        out.listener.onError(new java.io.IOException("client gone"));
        assertEquals(1, completed);
        body.send(BODY);
        assertEquals(0, out.written.size());
        assertEquals(1, completed);
    }
}
