package tansu.raft.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
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
import tansu.api.discovery.Discovery;
import tansu.api.storage.RaftStorage;
import tansu.raft.core.Message;

/**
 * The consensus service of a node: runs the {@link Driver} thread over the node's storage and applies
 * the log to every {@link StateMachine} service, found by its {@link StateMachine#NAME} property.
 */
// Immediate: a node takes part in its cluster whether or not anyone uses the service yet.
@Component(service = {Consensus.class, PeerInbox.class}, configurationPid = "tansu.raft",
    configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = RaftNodeConfig.class)
public final class RaftNode implements Consensus, PeerInbox {

    private final Driver driver;
    private final Thread thread;
    private final ExecutorService completions;
    private final ExecutorService snapshots;
    private final ScheduledExecutorService hello;

    @Activate
    public RaftNode(RaftNodeConfig config, @Reference RaftStorage storage) {
        completions = Executors.newFixedThreadPool(2, daemon("tansu-raft-completion"));
        snapshots = Executors.newSingleThreadExecutor(daemon("tansu-raft-snapshot"));
        AddressBook book = new AddressBook();
        driver = new Driver(storage, config, completions, snapshots, book, d -> new PeerTransport(book, d::self, d::receiveAnswer));
        thread = daemon("tansu-raft-driver").newThread(driver);
        thread.start();
        // Who answers at each discovered address is learned now and kept fresh: addresses outlive processes.
        hello = Executors.newSingleThreadScheduledExecutor(daemon("tansu-raft-hello"));
        hello.scheduleWithFixedDelay(this::introduce, 0, FORMING_HELLO_MS, TimeUnit.MILLISECONDS);
        driver.onStanceChange(() -> {
            try {
                hello.execute(this::introduce);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // The node is stopping: nobody needs the introduction.
            }
        });
    }

    /**
     * Founding a cluster takes several exchanges of introductions (a round opened, pledges, the cluster
     * shown), so fresh nodes introduce themselves often; members of a cluster, once a second.
     */
    private static final long FORMING_HELLO_MS = 100;
    private static final long HELLO_NANOS = TimeUnit.SECONDS.toNanos(1);
    private long lastIntroduction = System.nanoTime() - HELLO_NANOS;

    /** Whether introductions are due: always while in no cluster, else once {@code HELLO_NANOS} have passed. */
    static boolean introductionDue(boolean inNoCluster, long now, long lastIntroduction) {
        return inNoCluster || now - lastIntroduction >= HELLO_NANOS;
    }

    private void introduce() {
        long now = System.nanoTime();
        if (!introductionDue(driver.inNoCluster(), now, lastIntroduction)) {
            return;
        }
        lastIntroduction = now;
        java.util.Set<String> addresses = new java.util.TreeSet<>();
        List<Discovery> sources = discoveries;
        if (sources != null) {
            for (Discovery d : sources) {
                addresses.addAll(d.addresses());
            }
        }
        try {
            driver.helloMembers(addresses);
        } catch (RuntimeException e) {
            // A failed round must not end the schedule.
            org.slf4j.LoggerFactory.getLogger(RaftNode.class).warn("Introductions failed: {}", e.toString());
        }
    }

    /** Every way of finding peers this node has (a member list, mDNS): their addresses are all tried. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Discovery> discoveries;

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
        hello.shutdownNow();
        driver.stop();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        // A snapshot being stored finishes before the storage it writes to can go.
        snapshots.shutdown();
        snapshots.awaitTermination(30, TimeUnit.SECONDS);
        completions.shutdown();
        completions.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<Object> propose(String machine, byte[] command) {
        return driver.propose(machine, command, false);
    }

    @Override
    public CompletionStage<Object> proposeDirect(String machine, byte[] command) {
        return driver.propose(machine, command, true);
    }

    @Override
    public CompletionStage<Void> readBarrier() {
        return driver.readBarrier();
    }

    @Override
    public NodeStatus status() {
        return driver.status();
    }

    @Override
    public List<tansu.api.Member> members() {
        return driver.members();
    }

    @Override
    public CompletionStage<Void> addMember(String host, int port) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> driver.whoIs(host, port), hello)
            .thenCompose(answer -> {
                if (answer == null || answer.node().isEmpty()) {
                    throw new IllegalStateException("no node answers at " + host + ":" + port);
                }
                if (!answer.env().equals(driver.self().env())) {
                    throw new IllegalStateException(host + ":" + port + " is of environment " + answer.env());
                }
                // Recorded first: once it is a member, the node is no longer one an operator removed.
                return driver.propose(RetiredMembers.NAME, RetiredMembers.admit(answer.node()), false)
                    .thenCompose(admitted -> driver.admin(new tansu.raft.core.Message.ChangeMembership(answer.node(), true)));
            });
    }

    @Override
    public CompletionStage<Void> removeMember(String id) {
        // Recorded first, so that the leader never takes it back while it is still around.
        return driver.propose(RetiredMembers.NAME, RetiredMembers.retire(id), false)
            .thenCompose(retired -> driver.admin(new tansu.raft.core.Message.ChangeMembership(id, false)));
    }

    @Override
    public CompletionStage<Void> transferLeadership(String id) {
        return driver.admin(new tansu.raft.core.Message.TransferLeader(id));
    }

    @Override
    public PeerCodec.Header self() {
        return driver.self();
    }

    @Override
    public String refusal(PeerCodec.Header header) {
        return driver.refusal(header);
    }

    @Override
    public CompletableFuture<List<Message.Peer>> receive(PeerCodec.Batch batch) {
        return driver.receive(batch, true);
    }

    @Override
    public int peerPort() {
        return driver.peerPort();
    }

    @Override
    public void faults(TransportFaults faults) {
        driver.faults(faults);
    }
}
