/* nesthv-test-args: -smp 2 */
/*
 * vpa.c - H_REGISTER_VPA (PAPR 14.11.3.1): register and deregister the
 * virtual processor area, dispatch trace log and SLB shadow buffer, with
 * every parameter check (QEMU's spapr_hcall.c order):
 *   unknown CPU or subfunction -> H_PARAMETER; address 0 -> H_HARDWARE;
 *   VPA not 128-byte aligned, size (be16 at +4) below 640, crossing a 4 KiB
 *   page, or outside RAM -> H_PARAMETER; DTL size (be32 at +4) below 48,
 *   SLB shadow size below 8 or crossing 4 KiB -> H_PARAMETER; DTL or SLB
 *   shadow without a VPA -> H_RESOURCE; deregistering the VPA while either
 *   is registered -> H_RESOURCE.
 * Registration sets the shared-processor bit (byte 9, 0x2).
 * Dispatch counter (be32 at 0x100): even while the CPU runs, odd after it
 * stopped, incremented at every change, so it grows across an H_CEDE that
 * waits; a stopped CPU's count stays as written until it starts (QEMU and
 * nesthv alike; QEMU 7.2 also counts its internal TCG loop exits, which
 * keeps the parity rule).
 */
#include "smp.h"

#define PAGE       4096UL
#define TB_1MS     512000UL

static uint8_t area[4 * PAGE] __attribute__((aligned(PAGE)));

static void set_size16(uint8_t *p, unsigned v) { p[4] = (uint8_t)(v >> 8); p[5] = (uint8_t)v; }

static void set_size32(uint8_t *p, uint32_t v)
{
    p[4] = (uint8_t)(v >> 24);
    p[5] = (uint8_t)(v >> 16);
    p[6] = (uint8_t)(v >> 8);
    p[7] = (uint8_t)v;
}

static uint32_t yield_count(const uint8_t *vpa)
{
    const volatile uint8_t *p = vpa + VPA_YIELD_COUNT_OFFSET;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static long reg(unsigned long flags, unsigned long cpu, const void *addr)
{
    return hcall(H_REGISTER_VPA, flags, cpu, (unsigned long)addr);
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

static void test_vpa_checks(void)
{
    uint8_t *vpa = area;
    test_begin("register VPA: parameter checks");
    memset(area, 0, sizeof(area));
    set_size16(vpa, VPA_MIN_SIZE);
    TEST_EQ(reg(H_VPA_REG_VPA, 2, vpa), H_PARAMETER);              /* no such CPU */
    TEST_EQ(reg(H_VPA_REG_VPA, -1UL, vpa), H_PARAMETER);
    TEST_EQ(reg(0, 0, vpa), H_PARAMETER);                          /* no subfunction */
    TEST_EQ(reg(4ULL << H_VPA_FUNC_SHIFT, 0, vpa), H_PARAMETER);   /* reserved subfunction */
    TEST_EQ(reg(H_VPA_REG_VPA | 1, 0, vpa), H_PARAMETER);          /* stray flag bits */
    TEST_EQ(reg(H_VPA_REG_VPA, 0, 0), H_HARDWARE);                 /* address 0 */
    TEST_EQ(reg(H_VPA_REG_VPA, 0, vpa + 64), H_PARAMETER);         /* not cache-line aligned */
    set_size16(vpa, VPA_MIN_SIZE - 1);
    TEST_EQ(reg(H_VPA_REG_VPA, 0, vpa), H_PARAMETER);              /* too small */
    set_size16(vpa + PAGE - 512, VPA_MIN_SIZE);
    TEST_EQ(reg(H_VPA_REG_VPA, 0, vpa + PAGE - 512), H_PARAMETER); /* crosses 4 KiB */
    TEST_EQ(reg(H_VPA_REG_VPA, 0, (void *)ram_size()), H_PARAMETER);       /* beyond RAM */
    TEST_EQ(reg(H_VPA_REG_VPA, 0, (void *)(ram_size() - 128)), H_PARAMETER); /* size not in RAM */
    TEST_EQ(reg(H_VPA_DEREG_VPA, 0, 0), H_SUCCESS);                /* nothing registered: fine */
}

static void test_buffers(void)
{
    uint8_t *vpa = area, *dtl = area + PAGE, *slb = area + 2 * PAGE;
    test_begin("DTL and SLB shadow");
    set_size16(vpa, VPA_MIN_SIZE);
    set_size32(dtl, DTL_MIN_SIZE);
    set_size32(slb, SLB_SHADOW_MIN_SIZE);
    TEST_EQ(reg(H_VPA_REG_DTL, 0, dtl), H_RESOURCE);               /* no VPA yet */
    TEST_EQ(reg(H_VPA_REG_SLB, 0, slb), H_RESOURCE);
    TEST_EQ(reg(H_VPA_REG_DTL, 0, 0), H_HARDWARE);
    TEST_EQ(reg(H_VPA_REG_SLB, 0, 0), H_HARDWARE);
    set_size32(dtl, DTL_MIN_SIZE - 1);
    TEST_EQ(reg(H_VPA_REG_DTL, 0, dtl), H_PARAMETER);
    set_size32(slb, SLB_SHADOW_MIN_SIZE - 1);
    TEST_EQ(reg(H_VPA_REG_SLB, 0, slb), H_PARAMETER);
    set_size32(slb + PAGE - 64, 128);
    TEST_EQ(reg(H_VPA_REG_SLB, 0, slb + PAGE - 64), H_PARAMETER);  /* crosses 4 KiB */
    set_size32(dtl, DTL_MIN_SIZE);
    set_size32(slb, SLB_SHADOW_MIN_SIZE);

    TEST_EQ(reg(H_VPA_REG_VPA, 0, vpa), H_SUCCESS);
    TEST_EQ(vpa[VPA_SHARED_PROC_OFFSET] & VPA_SHARED_PROC_VAL, VPA_SHARED_PROC_VAL);
    TEST_EQ(reg(H_VPA_REG_DTL, 0, dtl), H_SUCCESS);
    TEST_EQ(reg(H_VPA_DEREG_VPA, 0, 0), H_RESOURCE);               /* DTL still there */
    TEST_EQ(reg(H_VPA_DEREG_DTL, 0, 0), H_SUCCESS);
    TEST_EQ(reg(H_VPA_REG_SLB, 0, slb), H_SUCCESS);
    TEST_EQ(reg(H_VPA_DEREG_VPA, 0, 0), H_RESOURCE);               /* SLB shadow still there */
    TEST_EQ(reg(H_VPA_DEREG_SLB, 0, 0), H_SUCCESS);
    TEST_EQ(reg(H_VPA_DEREG_VPA, 0, 0), H_SUCCESS);
    TEST_EQ(reg(H_VPA_REG_DTL, 0, dtl), H_RESOURCE);               /* VPA gone again */
    /* another CPU's areas */
    set_size16(area + 3 * PAGE, VPA_MIN_SIZE);
    TEST_EQ(reg(H_VPA_REG_VPA, 1, area + 3 * PAGE), H_SUCCESS);
    TEST_EQ(reg(H_VPA_REG_DTL, 1, dtl), H_SUCCESS);
    TEST_EQ(reg(H_VPA_DEREG_DTL, 1, 0), H_SUCCESS);
    TEST_EQ(reg(H_VPA_DEREG_VPA, 1, 0), H_SUCCESS);
}

static void secondary(struct smp_cpu *c)
{
    c->data[0] = yield_count(area + 3 * PAGE);  /* while running */
}

static void test_dispatch_counter(void)
{
    uint8_t *vpa = area, *vpa1 = area + 3 * PAGE;
    test_begin("dispatch counter");
    memset(area, 0, sizeof(area));
    set_size16(vpa, VPA_MIN_SIZE);
    set_size16(vpa1, VPA_MIN_SIZE);
    TEST_EQ(reg(H_VPA_REG_VPA, 0, vpa), H_SUCCESS);
    uint32_t before = yield_count(vpa);
    TEST_EQ(before & 1, 0);                       /* running: even */
    mtdec(50 * TB_1MS);   /* long enough that QEMU (real time) is still ceded when it fires */
    TEST_EQ(hcall(H_CEDE), H_SUCCESS);            /* waits for the decrementer */
    smp_disable_ee();
    uint32_t after = yield_count(vpa);
    TEST_EQ(after & 1, 0);
    printf("cpu 0: yield count even while running, %s across H_CEDE\n",
           after > before ? "increased" : "unchanged");
    /* a stopped CPU is not dispatched; starting it dispatches it */
    TEST_EQ(reg(H_VPA_REG_VPA, 1, vpa1), H_SUCCESS);
    uint32_t stopped = yield_count(vpa1);
    TEST_EQ(smp_start(1, secondary), RTAS_SUCCESS);
    TEST_ASSERT(smp_wait(&smp_cpus[1].done));
    TEST_ASSERT(smp_wait_stopped(1));
    printf("cpu 1: yield count %s as written while stopped, %s while running, %s after stop-self\n",
           stopped == 0 ? "kept" : "changed", smp_cpus[1].data[0] & 1 ? "odd" : "even",
           yield_count(vpa1) & 1 ? "odd" : "even");
    TEST_EQ(smp_cpus[1].data[0] & 1, 0);
    TEST_EQ(yield_count(vpa1) & 1, 1);
    TEST_EQ(reg(H_VPA_DEREG_VPA, 1, 0), H_SUCCESS);
    TEST_EQ(reg(H_VPA_DEREG_VPA, 0, 0), H_SUCCESS);
}

int main(void)
{
    smp_init();
    smp_install_vector(FW_VEC_DECREMENTER);
    test_vpa_checks();
    test_buffers();
    test_dispatch_counter();
    return test_report();
}
