/*
 * term.c - the guest's console (H_PUT_TERM_CHAR, RTAS display-character)
 * forwarded to ours a line at a time, each line prefixed with the guest's
 * level ("[L3] hello from L3").  A line that already starts with "[L" came
 * from deeper down and was prefixed there: it passes unchanged.  Whole
 * lines leave through libfw's console, 16 bytes per H_PUT_TERM_CHAR: the
 * fewest exits at every level above.
 */
#include "fw.h"
#include "l1hv.h"

/* One line buffer per CPU of ours (each runs one vCPU of the guest, smp.c). */
static char term_lines[L1HV_MAX_CPUS][L1HV_TERM_LINE];
static size_t term_lens[L1HV_MAX_CPUS];
#define term_line (term_lines[l1hv_cpu()])
#define term_len (term_lens[l1hv_cpu()])

void l1hv_term_flush(unsigned level)
{
    if (!term_len)
        return;
    char out[L1HV_TERM_LINE + 16];
    size_t n = 0;
    if (!(term_len >= 2 && term_line[0] == '[' && term_line[1] == 'L'))
        n = (size_t)snprintf(out, 16, "[L%u] ", level);
    memcpy(out + n, term_line, term_len);
    n += term_len;
    if (out[n - 1] != '\n')
        out[n++] = '\n';
    l1hv_lock();
    console_write(out, n);
    console_flush();
    l1hv_unlock();
    term_len = 0;
}

void l1hv_term_put(unsigned level, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        term_line[term_len++] = s[i];
        if (s[i] == '\n' || term_len == sizeof term_line)
            l1hv_term_flush(level);
    }
}
