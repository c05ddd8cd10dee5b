package io.eventlistener.actuate;

import java.util.List;

import io.eventlistener.audit.BindingAudit;
import io.eventlistener.audit.StrayBinding;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code eventlistenerbindings} actuator endpoint: the bindings on observer queues
 * that no observer row asks for, as the broker's management API reports them
 * ({@code GET /actuator/eventlistenerbindings}), and their removal
 * ({@code DELETE /actuator/eventlistenerbindings}, which answers what it removed).
 * <p>
 * Off by default ({@code defaultAccess} none): it removes bindings on the broker, so it
 * is there only once {@code management.endpoint.eventlistenerbindings.access} is set on
 * purpose ({@code read-only} to list, {@code unrestricted} to remove).
 */
@Endpoint(id = "eventlistenerbindings", defaultAccess = Access.NONE)
public class BindingAuditEndpoint {

	private final BindingAudit audit;

	public BindingAuditEndpoint(BindingAudit audit) {
		this.audit = audit;
	}

	/**
	 * The stray bindings.
	 * @return them, by queue
	 */
	@ReadOperation
	public List<StrayBinding> strayBindings() {
		return this.audit.strayBindings();
	}

	/**
	 * Remove the stray bindings.
	 * @return the bindings removed
	 */
	@DeleteOperation
	public List<StrayBinding> removeStrayBindings() {
		return this.audit.removeStrayBindings();
	}

}
