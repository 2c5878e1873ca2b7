package dev.esprouter.common.runtime;

/**
 * Registers in-process services a module offers other roles (through interfaces in {@code common})
 * whether or not its own role runs in this process — for example the status writer's read view,
 * used by an ingress-only process. Listed in
 * {@code META-INF/services/dev.esprouter.common.runtime.SharedServiceProvider}; called once, before
 * any role starts. It may only register what is cheap to create; it must not start consumers.
 */
public interface SharedServiceProvider {

  void register(RoleContext ctx);
}
