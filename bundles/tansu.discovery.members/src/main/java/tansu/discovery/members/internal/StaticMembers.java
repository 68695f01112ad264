package tansu.discovery.members.internal;

import java.util.LinkedHashSet;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

import tansu.api.discovery.Discovery;

/** Discovery from a static member list, for networks without multicast. */
@Component(configurationPid = "tansu.discovery.members", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MembersConfig.class)
public final class StaticMembers implements Discovery {

    private final Set<String> addresses;

    @Activate
    public StaticMembers(MembersConfig config) {
        Set<String> all = new LinkedHashSet<>();
        for (String member : config.members()) {
            if (!member.isBlank()) {
                all.add(member.trim());
            }
        }
        this.addresses = Set.copyOf(all);
    }

    @Override
    public Set<String> addresses() {
        return addresses;
    }
}
