package tansu.discovery.mdns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.Consensus;
import tansu.api.NodeStatus;
import tansu.api.discovery.Discovery;

/**
 * Announces this node as {@code _tansu._tcp.local.} (TXT: id, env, host, port, cluster, version) on the
 * configured address, and collects the addresses of the nodes of its environment that announce
 * themselves. JmDNS starts and stops on a thread of its own: neither blocks the node.
 */
@Component(configurationPid = "tansu.discovery.mdns", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = MdnsConfig.class)
public final class MdnsDiscovery implements Discovery {

    static final String TYPE = "_tansu._tcp.local.";
    private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);

    private final MdnsConfig config;
    private final ScheduledExecutorService executor;
    /** Address of each service found, by its service name. */
    private final Map<String, String> found = new ConcurrentHashMap<>();
    private volatile JmDNS jmdns;
    private volatile Map<String, String> announced = Map.of();
    private volatile ServiceInfo announcement;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Consensus consensus;

    @Activate
    public MdnsDiscovery(MdnsConfig config) {
        this.config = config;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tansu-mdns");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::start);
        executor.scheduleWithFixedDelay(this::announce, 1, 2, TimeUnit.SECONDS);
    }

    private void start() {
        try {
            jmdns = JmDNS.create(InetAddress.getByName(config.host()), "tansu-" + config.port());
            jmdns.addServiceListener(TYPE, new ServiceListener() {
                @Override
                public void serviceAdded(ServiceEvent event) {
                    jmdns.requestServiceInfo(event.getType(), event.getName(), 1000);
                }

                @Override
                public void serviceRemoved(ServiceEvent event) {
                    found.remove(event.getName());
                }

                @Override
                public void serviceResolved(ServiceEvent event) {
                    consider(event.getName(), event.getInfo(), 5);
                }
            });
            announce();
            LOG.info("mDNS discovery on {} for environment {}", config.host(), config.env());
        } catch (IOException e) {
            LOG.warn("mDNS discovery could not start on {}: {}", config.host(), e.toString());
        }
    }

    /** A resolved service: its TXT record often arrives after the event, so look again a few times. */
    private void consider(String name, ServiceInfo info, int retries) {
        String env = info == null ? null : info.getPropertyString("env");
        if (env == null) {
            if (retries > 0 && jmdns != null) {
                executor.schedule(() -> consider(name, jmdns.getServiceInfo(TYPE, name, 500), retries - 1),
                    500, TimeUnit.MILLISECONDS);
            }
            return;
        }
        String host = info.getPropertyString("host");
        String port = info.getPropertyString("port");
        if (env.equals(config.env()) && host != null && port != null) {
            found.put(name, host + ":" + port);
        }
    }

    /** (Re)announces this node whenever what it says of itself changed (its id, then its cluster). */
    private void announce() {
        JmDNS dns = jmdns;
        if (dns == null) {
            return;
        }
        Consensus c = consensus;
        NodeStatus status = c == null ? null : c.status();
        Map<String, String> txt = new TreeMap<>();
        txt.put("env", config.env());
        txt.put("host", config.host());
        txt.put("port", Integer.toString(config.port()));
        txt.put("version", "0.1.0");
        if (status != null && status.id() != null) {
            txt.put("id", status.id());
        }
        if (status != null && status.cluster() != null) {
            txt.put("cluster", status.cluster());
        }
        if (txt.equals(announced)) {
            return;
        }
        try {
            if (announcement != null) {
                dns.unregisterService(announcement);
            }
            ServiceInfo info = ServiceInfo.create(TYPE, "tansu-" + config.host() + "-" + config.port(), config.port(), 0, 0, txt);
            dns.registerService(info);
            announcement = info;
            announced = txt;
        } catch (IOException e) {
            LOG.warn("mDNS announcement failed: {}", e.toString());
        }
    }

    @Override
    public Set<String> addresses() {
        return Set.copyOf(found.values());
    }

    @Deactivate
    void deactivate() {
        // Closing JmDNS takes seconds: let it happen on its own thread.
        executor.execute(() -> {
            JmDNS dns = jmdns;
            if (dns != null) {
                try {
                    dns.unregisterAllServices();
                    dns.close();
                } catch (IOException e) {
                    LOG.debug("mDNS close: {}", e.toString());
                }
            }
        });
        executor.shutdown();
    }
}
