/**
 * sshd drop-in configuration for images with the ssh app: key-only logins for
 * the environment's user, no root, no passwords, no PAM (PAM's loginuid session
 * fails in containers). The port comes from SSH_PORT on the sshd command line;
 * the entrypoint writes the container's PATH to `sshEnvConfPath` at start so SSH
 * sessions see the same Python as `exec`.
 */
export const sshdConfigPath = "etc/ssh/sshd_config.d/torchstack.conf";
export const sshEnvConfPath = "/etc/ssh/sshd_config.d/torchstack-env.conf";

export function renderSshdConfig(user: string): string {
  return [
    "# torchstack: key-only SSH for the environment's user (generated; do not edit).",
    "PermitRootLogin no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitEmptyPasswords no",
    "PubkeyAuthentication yes",
    "AuthorizedKeysFile .ssh/authorized_keys",
    "UsePAM no",
    `AllowUsers ${user}`,
    "X11Forwarding no",
    "PrintMotd no",
    "",
  ].join("\n");
}
