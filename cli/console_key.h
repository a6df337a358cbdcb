/*
 * console_key.h - the interactive snapshot key: Ctrl-A s on the console.
 *
 * Only when stdin is a terminal.  nesthv then reads the terminal itself and
 * hands the guest everything but its escapes through a pipe that becomes
 * stdin (hv/console.c reads stdin when the guest asks, H_GET_TERM_CHAR):
 *   Ctrl-A s        save a snapshot (cli/runner.c)
 *   Ctrl-A Ctrl-A   one Ctrl-A for the guest
 * Ctrl-A followed by anything else passes both bytes on.  The terminal
 * stays in its normal line mode, so the keys reach nesthv when Enter is
 * pressed (QEMU's -nographic switches to raw mode; nesthv does not touch
 * the terminal settings).
 */
#ifndef NESTHV_CLI_CONSOLE_KEY_H
#define NESTHV_CLI_CONSOLE_KEY_H

#include <stdbool.h>

#define CLI_KEY_ESCAPE   0x01  /* Ctrl-A, QEMU's escape prefix */
#define CLI_KEY_SNAPSHOT 's'

typedef struct CliConsoleKey {
    bool active;      /* stdin is a terminal and the pipe is in place */
    int tty_fd;       /* the terminal (the original stdin) */
    int guest_fd;     /* write end of the pipe that is now stdin */
    bool escape;      /* the last byte was Ctrl-A */
} CliConsoleKey;

/* Take over stdin if it is a terminal (else key->active = false: nothing changes). */
void cli_key_init(CliConsoleKey *key);
/* Read what the terminal has (never blocks), forward it; true if Ctrl-A s came. */
bool cli_key_poll(CliConsoleKey *key);
/* Escape filter on a buffer (tests): writes the guest's bytes to out, returns how many; *snapshot set on Ctrl-A s. */
unsigned cli_key_filter(CliConsoleKey *key, const unsigned char *in, unsigned n, unsigned char *out, bool *snapshot);
void cli_key_close(CliConsoleKey *key);

#endif
