/*
 * console_key.c - Ctrl-A s on a terminal asks for a snapshot (console_key.h).
 */
#include "cli/console_key.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

void cli_key_init(CliConsoleKey *key)
{
    int fds[2];
    memset(key, 0, sizeof(*key));
    key->tty_fd = key->guest_fd = -1;
    if (!isatty(STDIN_FILENO) || pipe(fds) != 0)
        return;
    key->tty_fd = dup(STDIN_FILENO);
    if (key->tty_fd < 0 || dup2(fds[0], STDIN_FILENO) < 0) {
        close(fds[0]);
        close(fds[1]);
        if (key->tty_fd >= 0)
            close(key->tty_fd);
        return;
    }
    close(fds[0]);
    key->guest_fd = fds[1];
    /* A guest that never reads its console must not stop nesthv: excess input is dropped. */
    fcntl(key->guest_fd, F_SETFL, fcntl(key->guest_fd, F_GETFL) | O_NONBLOCK);
    key->active = true;
}

unsigned cli_key_filter(CliConsoleKey *key, const unsigned char *in, unsigned n, unsigned char *out, bool *snapshot)
{
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned char ch = in[i];
        if (!key->escape && ch == CLI_KEY_ESCAPE) {
            key->escape = true;
            continue;
        }
        if (key->escape) {
            key->escape = false;
            if (ch == CLI_KEY_SNAPSHOT) {
                *snapshot = true;
                continue;
            }
            if (ch != CLI_KEY_ESCAPE)
                out[k++] = CLI_KEY_ESCAPE;
        }
        out[k++] = ch;
    }
    return k;
}

bool cli_key_poll(CliConsoleKey *key)
{
    bool snapshot = false;
    if (!key->active)
        return false;
    struct pollfd pfd = { .fd = key->tty_fd, .events = POLLIN };
    while (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)) {
        unsigned char in[256], out[512];
        ssize_t n = read(key->tty_fd, in, sizeof(in));
        if (n <= 0)
            break;
        unsigned k = cli_key_filter(key, in, (unsigned)n, out, &snapshot);
        if (k && write(key->guest_fd, out, k) < 0) {
            /* pipe full: the guest is not reading; the input is dropped */
        }
    }
    return snapshot;
}

void cli_key_close(CliConsoleKey *key)
{
    if (!key->active)
        return;
    dup2(key->tty_fd, STDIN_FILENO);
    close(key->tty_fd);
    close(key->guest_fd);
    key->active = false;
}
