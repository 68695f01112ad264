package tansu.raft.internal;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

import tansu.api.Consensus;
import tansu.api.NodeStatus;
import tansu.api.StateMachine;
import tansu.api.storage.RaftStorage;

/**
 * The consensus service of a node: runs the {@link Driver} thread over the node's storage and applies
 * the log to every {@link StateMachine} service, found by its {@link StateMachine#NAME} property.
 */
// Immediate: a node takes part in its cluster whether or not anyone uses the service yet.
@Component(configurationPid = "tansu.raft", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = RaftNodeConfig.class)
public final class RaftNode implements Consensus {

    private final Driver driver;
    private final Thread thread;
    private final ExecutorService completions;

    @Activate
    public RaftNode(RaftNodeConfig config, @Reference RaftStorage storage) {
        completions = Executors.newFixedThreadPool(2, daemon("tansu-raft-completion"));
        driver = new Driver(storage, config, completions);
        thread = daemon("tansu-raft-driver").newThread(driver);
        thread.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMachine(StateMachine machine, Map<String, Object> properties) {
        driver.addMachine(nameOf(properties), machine);
    }

    void removeMachine(StateMachine machine, Map<String, Object> properties) {
        driver.removeMachine(nameOf(properties), machine);
    }

    private static String nameOf(Map<String, Object> properties) {
        Object name = properties.get(StateMachine.NAME);
        if (!(name instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("a StateMachine service needs a " + StateMachine.NAME + " property");
        }
        return s;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        driver.stop();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        completions.shutdown();
        completions.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<Object> propose(String machine, byte[] command) {
        return driver.propose(machine, command);
    }

    @Override
    public CompletionStage<Void> readBarrier() {
        return driver.readBarrier();
    }

    @Override
    public NodeStatus status() {
        return driver.status();
    }
}
