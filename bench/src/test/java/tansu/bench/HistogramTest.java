package tansu.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Quantiles within the histogram's bucket width (about 1.5 %), from microseconds to minutes. */
public class HistogramTest {

    @Test
    public void quantilesOfAUniformSpread() {
        Histogram h = new Histogram();
        for (int v = 1; v <= 10_000; v++) {
            h.record(v);
        }
        assertEquals(10_000, h.count());
        assertWithin(5_000, h.quantile(0.5));
        assertWithin(9_900, h.quantile(0.99));
        assertEquals(1, h.quantile(0.0001));
    }

    @Test
    public void smallAndLargeValuesKeepTheirSize() {
        Histogram h = new Histogram();
        h.record(3);
        assertEquals(3, h.quantile(0.5));
        Histogram big = new Histogram();
        big.record(90_000_000L);
        assertWithin(90_000_000L, big.quantile(0.5));
    }

    @Test
    public void mergedHistogramsCountBoth() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        a.record(100);
        b.record(10_000);
        b.record(10_000);
        a.add(b);
        assertEquals(3, a.count());
        assertWithin(10_000, a.quantile(0.99));
        assertWithin(100, a.quantile(0.3));
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(actual + " is not within 2 % of " + expected, Math.abs(actual - expected) <= expected * 0.02);
    }
}
