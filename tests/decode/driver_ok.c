/*
 * Test driver for tools/decodetree.py: linked with the decoder generated
 * from all tests/decode/ok_*.decode files merged (see run.sh).
 *
 * Every trans_* handler records its name and argument values as a string;
 * each check decodes one word, runs the handler through DecodedInsn.fn and
 * compares the record, the mnemonic (insn_names[]) and DecodedInsn.raw.
 * Prints one FAIL line per failed check, then "driver: N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "decode.h"

static char last[256];
static CPUState *last_cpu;

#define REC(cpu, ...) (last_cpu = (cpu), snprintf(last, sizeof last, __VA_ARGS__))

/* ok_fields.decode */
void trans_ADDI(CPUState *cpu, const arg_D *a) { REC(cpu, "ADDI rt=%d ra=%d si=%d", a->rt, a->ra, a->si); }
void trans_ADDIS(CPUState *cpu, const arg_D *a) { REC(cpu, "ADDIS rt=%d ra=%d si=%d", a->rt, a->ra, a->si); }
void trans_LD(CPUState *cpu, const arg_DS *a) { REC(cpu, "LD rt=%d ra=%d ds=%d", a->rt, a->ra, a->ds); }
void trans_LDU(CPUState *cpu, const arg_DS *a) { REC(cpu, "LDU rt=%d ra=%d ds=%d", a->rt, a->ra, a->ds); }
void trans_LWA(CPUState *cpu, const arg_DS *a) { REC(cpu, "LWA rt=%d ra=%d ds=%d", a->rt, a->ra, a->ds); }
void trans_SPLITS(CPUState *cpu, const arg_SPLITS *a) { REC(cpu, "SPLITS v=%d", a->v); }
void trans_NEGT(CPUState *cpu, const arg_NEGT *a) { REC(cpu, "NEGT rt=%d n=%d", a->rt, a->n); }
void trans_B(CPUState *cpu, const arg_B *a) { REC(cpu, "B aa=%d lk=%d li=%d", a->aa, a->lk, a->li); }

/* ok_formats.decode */
void trans_ADD(CPUState *cpu, const arg_X *a) { REC(cpu, "ADD rt=%d ra=%d rb=%d", a->rt, a->ra, a->rb); }
void trans_ADD_rc(CPUState *cpu, const arg_X *a) { REC(cpu, "ADD_rc rt=%d ra=%d rb=%d", a->rt, a->ra, a->rb); }
void trans_ADDO(CPUState *cpu, const arg_XO *a) { REC(cpu, "ADDO rt=%d ra=%d rb=%d", a->rt, a->ra, a->rb); }
void trans_ADDO_rc(CPUState *cpu, const arg_XO *a) { REC(cpu, "ADDO_rc rt=%d ra=%d rb=%d", a->rt, a->ra, a->rb); }
void trans_SUBF(CPUState *cpu, const arg_XS *a) { REC(cpu, "SUBF rb=%d ra=%d rt=%d", a->rb, a->ra, a->rt); }
void trans_NEG(CPUState *cpu, const arg_XRC *a) { REC(cpu, "NEG rt=%d ra=%d oe=%d rc=%d", a->rt, a->ra, a->oe, a->rc); }
void trans_NEGO(CPUState *cpu, const arg_XRC *a) { REC(cpu, "NEGO rt=%d ra=%d oe=%d rc=%d", a->rt, a->ra, a->oe, a->rc); }
void trans_STD(CPUState *cpu, const arg_DSF *a) { REC(cpu, "STD rt=%d ra=%d ds=%d", a->rt, a->ra, a->ds); }
void trans_STDU(CPUState *cpu, const arg_DSF *a) { REC(cpu, "STDU rt=%d ra=%d ds=%d", a->rt, a->ra, a->ds); }

/* ok_groups.decode */
void trans_NOP(CPUState *cpu, const arg_empty *a) { REC(cpu, "NOP"); }
void trans_ORI(CPUState *cpu, const arg_ORI *a) { REC(cpu, "ORI rs=%d ra=%d ui=%d", a->rs, a->ra, a->ui); }
void trans_MTLR(CPUState *cpu, const arg_XFX *a) { REC(cpu, "MTLR rs=%d spr=%d", a->rs, a->spr); }
void trans_MTSPR(CPUState *cpu, const arg_XFX *a) { REC(cpu, "MTSPR rs=%d spr=%d", a->rs, a->spr); }
void trans_G_ZERO(CPUState *cpu, const arg_empty *a) { REC(cpu, "G_ZERO"); }
void trans_G_HI(CPUState *cpu, const arg_V *a) { REC(cpu, "G_HI v=%d", a->v); }
void trans_G_MID(CPUState *cpu, const arg_V *a) { REC(cpu, "G_MID v=%d", a->v); }
void trans_G_ODD(CPUState *cpu, const arg_V *a) { REC(cpu, "G_ODD v=%d", a->v); }
void trans_G_ANY(CPUState *cpu, const arg_V *a) { REC(cpu, "G_ANY v=%d", a->v); }

/* ok_syntax.decode */
void trans_SYNC(CPUState *cpu, const arg_empty *a) { REC(cpu, "SYNC"); }
void trans_KONST(CPUState *cpu, const arg_K *a) { REC(cpu, "KONST a=%d b=%d c=%d", a->a, a->b, a->c); }
void trans_TWI(CPUState *cpu, const arg_TWI *a) { REC(cpu, "TWI to=%d ra=%d si=%d", a->to, a->ra, a->si); }
void trans_ATTN(CPUState *cpu, const arg_empty *a) { REC(cpu, "ATTN"); }
void trans_KMIN(CPUState *cpu, const arg_KM *a) { REC(cpu, "KMIN ra=%d m=%d", a->ra, a->m); }

void trans_INVALID(CPUState *cpu, const DecodedInsn *d)
{
    REC(cpu, "INVALID id=%d raw=0x%08x", d->id, (unsigned)d->raw);
}

static const struct {
    uint32_t raw;
    const char *want;       /* handler record */
    const char *mnemonic;   /* insn_names[id] */
} checks[] = {
    /* inline, signed and named fields, !function, split and signed split fields */
    { 0x38600005, "ADDI rt=3 ra=0 si=5", "addi" },
    { 0x3821FFF0, "ADDI rt=1 ra=1 si=-16", "addi" },
    { 0x3C4C7FFF, "ADDIS rt=2 ra=12 si=32767", "addis" },
    { 0x3C4C8000, "ADDIS rt=2 ra=12 si=-32768", "addis" },
    { 0xE861FFF8, "LD rt=3 ra=1 ds=-8", "ld" },                /* %ds 2:s14 times_4 */
    { 0xE8850010, "LD rt=4 ra=5 ds=16", "ld" },
    { 0xE821FFE1, "LDU rt=1 ra=1 ds=-32", "ldu" },             /* ds=%ds */
    { 0xE843FFFE, "LWA rt=2 ra=3 ds=16383", "lwa" },           /* unsigned, no function */
    { 0xE843FFFB, "INVALID id=0 raw=0xe843fffb", "invalid" },  /* DS xo=3 undefined */
    { 0x12A30002, "SPLITS v=-341", "splits" },                 /* 0:s2 21:5 16:3 */
    { 0x12A30001, "SPLITS v=427", "splits" },
    { 0x12B30001, "INVALID id=0 raw=0x12b30001", "invalid" },  /* fixed bit 20 set */
    { 0x14FF0000, "NEGT rt=7 n=1", "negt" },                   /* 16:s5 negate */
    { 0x14E50000, "NEGT rt=7 n=-5", "negt" },
    { 0x48000008, "B aa=0 lk=0 li=8", "b" },
    { 0x4BFFFFFD, "B aa=0 lk=1 li=-4", "b" },
    { 0x4A000002, "B aa=1 lk=0 li=-33554432", "b" },
    /* formats: inherited fixed bits/fields/constants/argsets, _rc names */
    { 0x7C642A14, "ADD rt=3 ra=4 rb=5", "add" },
    { 0x7C642A15, "ADD_rc rt=3 ra=4 rb=5", "add." },           /* bit 0 fixed by @X_rc */
    { 0x7C642E14, "ADDO rt=3 ra=4 rb=5", "addo" },             /* opcode fixed by @XO */
    { 0x7C642E15, "ADDO_rc rt=3 ra=4 rb=5", "addo." },
    { 0x80642E14, "INVALID id=0 raw=0x80642e14", "invalid" },  /* ADDO bits, opcode 32 */
    { 0x7C642850, "SUBF rb=5 ra=4 rt=3", "subf" },             /* pattern's own &XS */
    { 0x7C642851, "INVALID id=0 raw=0x7c642851", "invalid" },
    { 0x7C6400D1, "NEG rt=3 ra=4 oe=0 rc=1", "neg" },          /* constant + format field */
    { 0x7C6404D0, "NEGO rt=3 ra=4 oe=1 rc=0", "nego" },
    { 0x7C6408D0, "INVALID id=0 raw=0x7c6408d0", "invalid" },  /* NEG needs rb=0 */
    { 0xFBE1FFF8, "STD rt=31 ra=1 ds=-8", "std" },             /* format with ds=%dsf */
    { 0xF821FF91, "STDU rt=1 ra=1 ds=-112", "stdu" },
    { 0xF821FF92, "INVALID id=0 raw=0xf821ff92", "invalid" },
    /* groups */
    { 0x60000000, "NOP", "nop" },                              /* { } order */
    { 0x60210000, "ORI rs=1 ra=1 ui=0", "ori" },
    { 0x6083FFFF, "ORI rs=4 ra=3 ui=65535", "ori" },
    { 0x7C0803A6, "MTLR rs=0 spr=8", "mtlr" },                 /* format constant spr=8 */
    { 0x7C0803A7, "MTLR rs=0 spr=8", "mtlr" },
    { 0x7CA903A6, "MTSPR rs=5 spr=9", "mtspr" },               /* %sprg 11:5 16:5 */
    { 0x7C704BA6, "MTSPR rs=3 spr=304", "mtspr" },
    { 0x04000000, "G_ZERO", "g_zero" },
    { 0x06000005, "G_HI v=5", "g_hi" },                        /* [ ] inside { } */
    { 0x07FFFFFF, "G_HI v=33554431", "g_hi" },
    { 0x05000003, "G_MID v=3", "g_mid" },
    { 0x04000003, "G_ODD v=1", "g_odd" },                      /* { } inside { } */
    { 0x05FFFFFF, "G_MID v=16777215", "g_mid" },
    { 0x04FFFFFF, "G_ODD v=1", "g_odd" },
    { 0x04800001, "G_ODD v=1", "g_odd" },
    { 0x04000002, "G_ANY v=2", "g_any" },
    { 0x04FFFFFE, "G_ANY v=16777214", "g_any" },
    { 0x047FFFFE, "G_ANY v=8388606", "g_any" },
    /* syntax */
    { 0x7C0004AC, "SYNC", "sync" },
    { 0x7C2004AC, "SYNC", "sync" },                            /* '-' bits ignored */
    { 0x7FFFFCAD, "SYNC", "sync" },
    { 0x08000000, "KONST a=16 b=-3 c=2147483647", "konst" },   /* continuation lines */
    { 0x0BFFFFFF, "KONST a=16 b=-3 c=2147483647", "konst" },
    { 0x0C83FFFF, "TWI to=4 ra=3 si=-1", "twi" },              /* "0000 11" split run */
    { 0x00000200, "ATTN", "attn" },
    { 0x00000201, "INVALID id=0 raw=0x00000201", "invalid" },
    { 0x34E00000, "KMIN ra=7 m=-2147483648", "kmin" },         /* format used before defined */
    /* unmatched words */
    { 0xFFFFFFFF, "INVALID id=0 raw=0xffffffff", "invalid" },
    { 0x7C000000, "INVALID id=0 raw=0x7c000000", "invalid" },
};

int main(void)
{
    static int cpu_token;
    CPUState *cpu = (CPUState *)(void *)&cpu_token;
    int passed = 0, failed = 0;

    if (INSN__COUNT != 32 || INSN_INVALID != 0 || strcmp(insn_names[INSN_INVALID], "invalid") != 0) {
        printf("FAIL enum: INSN__COUNT=%d\n", (int)INSN__COUNT);
        failed++;
    } else {
        passed++;
    }
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        DecodedInsn d;
        memset(&d, 0xa5, sizeof d);
        last[0] = 0;
        last_cpu = NULL;
        decode_insn(checks[i].raw, &d);
        d.fn(cpu, &d);
        const char *name = d.id < INSN__COUNT ? insn_names[d.id] : "(bad id)";
        if (strcmp(last, checks[i].want) != 0 || strcmp(name, checks[i].mnemonic) != 0 ||
            d.raw != checks[i].raw || d.aux != 0 || last_cpu != cpu) {
            printf("FAIL 0x%08x: got \"%s\" (%s), want \"%s\" (%s)\n", (unsigned)checks[i].raw,
                   last, name, checks[i].want, checks[i].mnemonic);
            failed++;
        } else {
            passed++;
        }
    }
    printf("driver: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
