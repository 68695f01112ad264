package tansu.raft.internal;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's fault hook, switched on by a {@code tansu.raft.faults} configuration (a
 * {@code tansu.raft.faults.cfg} in the deploy folder) and off again when it is deleted.
 */
@Component(configurationPid = "tansu.raft.faults", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = TransportFaultsConfig.class)
public final class TransportFaultInjection {

    private static final Logger LOG = LoggerFactory.getLogger(TransportFaultInjection.class);

    private final PeerInbox node;

    @Activate
    public TransportFaultInjection(@Reference PeerInbox node, TransportFaultsConfig config) {
        this.node = node;
        modified(config);
    }

    @Modified
    void modified(TransportFaultsConfig config) {
        if (config.drop() < 0 || config.drop() > 1 || config.delay_ms() < 0) {
            throw new IllegalArgumentException("drop is a probability and delay.ms is not negative");
        }
        // A .cfg file gives "a,b" as one string.
        Set<String> cut = Arrays.stream(config.cut()).flatMap(c -> Arrays.stream(c.split(",")))
            .map(String::trim).filter(id -> !id.isEmpty()).collect(Collectors.toSet());
        TransportFaults faults = new TransportFaults(config.drop(), config.delay_ms(), cut);
        LOG.warn("Transport faults switched on: {}", faults);
        node.faults(faults);
    }

    @Deactivate
    void deactivate() {
        LOG.warn("Transport faults switched off");
        node.faults(TransportFaults.NONE);
    }
}
