/*
 * smp.c - the l1hv workload for guests with several vCPUs: "hello from
 * L<N>" on the boot CPU, which starts every other CPU of its device tree
 * (/cpus) with RTAS start-cpu (firmware/tests/papr/smp.h); the CPUs then
 * print "cpu <n> alive" each in turn (a token passed from CPU n to n+1, so
 * the order is the same on any scheduler), and the boot CPU ends with
 * "smp: <count> cpus", power-off.
 */
#include "fw.h"
#include "firmware/tests/papr/smp.h"

static volatile int turn;


/* The cpu nodes under /cpus (at most SMP_MAX_CPUS). */
static int count_cpus(void)
{
    const void *fdt = fw_fdt();
    int cpus = fdt ? fdt_node_by_path(fdt, "/cpus") : FDT_ERR, node, n = 0;
    if (cpus < 0)
        return 1;
    fdt_for_each_child(fdt, cpus, node) {
        const char *type = fdt_prop_str(fdt, node, "device_type");
        if (type && strcmp(type, "cpu") == 0 && n < SMP_MAX_CPUS)
            n++;
    }
    return n ? n : 1;
}

static void alive(int id)
{
    while (turn != id)
        cpu_relax();
    printf("cpu %d alive\n", id);
    console_flush();
    sync();
    turn = id + 1;
}

static void secondary(struct smp_cpu *c)
{
    alive(c->id);
}

int main(void)
{
    printf("hello from L%u\n", fw_bootarg_uint("nesthv.level=", 1));
    console_flush();
    int n = count_cpus();
    smp_init();
    for (int id = 1; id < n; id++)
        if (smp_start(id, secondary) != RTAS_SUCCESS)
            printf("smp: start-cpu %d failed\n", id);
    alive(0);
    while (turn != n)
        cpu_relax();
    printf("smp: %d cpus\n", n);
    console_flush();
    rtas_power_off();
    printf("smp: RTAS power-off failed\n");
    return 1;
}
