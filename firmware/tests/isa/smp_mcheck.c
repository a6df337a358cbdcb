/* nesthv-test-args: -smp 4 */
/*
 * smp_mcheck.c - a real-mode access or instruction fetch to an address with
 * no RAM behind it gives a machine check (0x200) on whichever CPU made it,
 * with that CPU's DAR and SRR0, and MSR[ME] stays set there
 * (pseries-boot.md; firmware/tests/isa/ldst_mcheck.c has the single-CPU
 * details, causes and QEMU 7.2's missing machine check).
 * Each CPU loads from its own address beyond RAM, then branches there.
 */
#include "../papr/smp.h"

#define NCPUS 4

static unsigned long ram_end;

/* 0x200: record; a fetch fault returns to the caller (LR), a load is skipped.
 * 0x700 (QEMU 7.2 executes the zeros it reads there): also back to LR. */
static void mc_irq(struct smp_cpu *c, struct smp_frame *f)
{
    unsigned long target = ram_end + 0x1000 * (unsigned long)c->id;
    if (f->vec == FW_VEC_MACHINE_CHECK && f->srr0 != target) {
        c->data[0]++;
        c->data[1] = mfspr(SPR_DAR);
        c->data[2] = f->srr0;
        f->srr0 += 4;
        return;
    }
    c->data[3] = f->vec;
    c->data[4] = f->srr0;
    f->srr0 = c->save_lr;   /* the bctrl's return address */
}

extern char mc_load_insn[];

static void probe(struct smp_cpu *c)
{
    unsigned long addr = ram_end + 0x1000 * (unsigned long)c->id, v = 0x5a;
    c->irq = mc_irq;
    __asm__ volatile(".globl mc_load_insn\nmc_load_insn: ld %0,0(%1)" : "+r"(v) : "r"(addr) : "memory");
    c->data[5] = v;
    /* a call to the address: the fetch faults */
    __asm__ volatile("mtctr %0\n\tbctrl" : : "r"(addr) : "lr", "ctr", "memory", "r0", "r3", "r4", "r5", "r6",
                     "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "cr1", "cr5", "cr6", "cr7");
    c->data[6] = mfmsr();
    c->irq = NULL;
}

static unsigned long ram_size(void)
{
    const void *fdt = fw_fdt();
    uint64_t addr, size;
    int node = fdt ? fdt_node_by_path(fdt, "/memory@0") : -1;
    if (node < 0 || fdt_reg(fdt, node, 0, &addr, &size) != 0)
        return 1UL << 30;
    return size;
}

int main(void)
{
    smp_init();
    ram_end = ram_size();
    smp_install_vector(FW_VEC_MACHINE_CHECK);
    smp_install_vector(FW_VEC_PROGRAM);
    test_begin("machine check on every CPU");
    for (int i = 1; i < NCPUS; i++)
        TEST_EQ(smp_start(i, probe), RTAS_SUCCESS);
    probe(&smp_cpus[0]);
    for (int i = 0; i < NCPUS; i++) {
        struct smp_cpu *c = &smp_cpus[i];
        unsigned long addr = ram_end + 0x1000 * (unsigned long)i;
        if (i)
            TEST_ASSERT(smp_wait(&c->done));
        if (c->data[0])
            printf("cpu %d: load beyond RAM: machine check, dar %s, srr0 %s\n", i,
                   c->data[1] == addr ? "= address" : "wrong",
                   c->data[2] == (unsigned long)mc_load_insn ? "= the load" : "wrong");
        else
            printf("cpu %d: load beyond RAM: no interrupt\n", i);
        printf("cpu %d: fetch beyond RAM: interrupt 0x%lx, srr0 %s, msr[me] %s\n", i, c->data[3],
               c->data[4] == addr ? "= address" : "wrong", c->data[6] & MSR_ME ? "set" : "clear");
        test_checkf(c->data[0] == 1 && c->data[1] == addr && c->data[2] == (unsigned long)mc_load_insn &&
                        c->data[3] == FW_VEC_MACHINE_CHECK && c->data[4] == addr && (c->data[6] & MSR_ME),
                    __FILE__, __LINE__, "cpu %d: not the expected machine checks", i);
    }
    return test_report();
}
