package tansu.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Links every bundle class the training run loaded but never linked. JDK 17 archives only linked
 * classes: the verifier loads hundreds of classes (Derby's parser nodes, Jetty's) only to check
 * assignments and leaves them unlinked, so each start parsed them from the jars again. Asking for a
 * class's declared constructors links it (and verifies it), which may load more: repeated until a
 * round links nothing new.
 */
final class LoadedClassLinker {

    private final Method findLoadedClass;

    /** Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which only the training run has. */
    LoadedClassLinker() throws NoSuchMethodException {
        findLoadedClass = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        findLoadedClass.setAccessible(true);
    }

    /** Returns how many classes were linked. */
    int linkAll(BundleContext context) throws ReflectiveOperationException {
        Set<Class<?>> seen = new HashSet<>();
        int before;
        do {
            before = seen.size();
            for (Bundle bundle : context.getBundles()) {
                BundleWiring wiring = bundle.adapt(BundleWiring.class);
                if (wiring != null && wiring.getClassLoader() != null && bundle.getBundleId() != 0) {
                    link(bundle, wiring.getClassLoader(), seen);
                }
            }
        } while (seen.size() > before);
        return seen.size();
    }

    private void link(Bundle bundle, ClassLoader loader, Set<Class<?>> seen) throws ReflectiveOperationException {
        Enumeration<URL> entries = bundle.findEntries("/", "*.class", true);
        while (entries != null && entries.hasMoreElements()) {
            String path = entries.nextElement().getPath();
            String name = path.substring(path.startsWith("/") ? 1 : 0, path.length() - ".class".length()).replace('/', '.');
            Class<?> loaded = (Class<?>) invoke(loader, name);
            if (loaded != null && seen.add(loaded)) {
                try {
                    loaded.getDeclaredConstructors();
                } catch (LinkageError unlinkable) {
                    // A class whose optional dependency is absent stays out of the archive, as before.
                }
            }
        }
    }

    private Object invoke(ClassLoader loader, String name) throws IllegalAccessException {
        try {
            return findLoadedClass.invoke(loader, name);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
