#define BOOST_TEST_MODULE smmuv3_arch
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "models/smmuv3/arch/cd.h"
#include "models/smmuv3/arch/cmd.h"
#include "models/smmuv3/arch/event.h"
#include "models/smmuv3/arch/regs.h"
#include "models/smmuv3/arch/ste.h"

// Bit-position tests for the SMMUv3 architected encodings. Every expected
// position below is written as the literal bit range IHI 0070 gives, [lo, hi]
// inclusive, absolute within the structure (for registers, within the
// register). The test deliberately does not use iommusim::bits to compute
// expectations.

using namespace iommusim::smmuv3;

namespace {

template <typename T, typename = void>
struct HasDw : std::false_type {};
template <typename T>
struct HasDw<T, std::void_t<decltype(std::declval<T&>().dw)>> : std::true_type {};

template <typename T>
constexpr unsigned num_words() {
    if constexpr (HasDw<T>::value)
        return sizeof(std::declval<T&>().dw) / sizeof(uint64_t);
    else
        return 1;
}

template <typename T>
uint64_t* words(T& t) {
    if constexpr (HasDw<T>::value)
        return t.dw;
    else
        return &t.value;
}

bool raw_bit(const uint64_t* w, unsigned i) { return (w[i / 64] >> (i % 64)) & 1; }

uint64_t low_mask(unsigned width) { return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1; }

// A value for the round trip that is neither 0 nor all-ones (for width > 1)
// and has its top and bottom bits set, so a field shifted or truncated by one
// bit cannot pass.
uint64_t pattern(unsigned lo, unsigned width) {
    uint64_t v = (0xA5C396F01E2D4B78ull ^ (uint64_t{lo} * 0x9E3779B97F4A7C15ull)) & low_mask(width);
    v |= uint64_t{1} << (width - 1);
    v |= 1;
    if (width > 2 && v == low_mask(width)) v &= ~uint64_t{2};
    return v;
}

template <typename T>
void check_field(const char* name, void (T::*set)(uint64_t), uint64_t (T::*get)() const, unsigned lsb_const,
                 unsigned width_const, unsigned lo, unsigned hi) {
    BOOST_TEST_CONTEXT(name << " expected [" << hi << ":" << lo << "]") {
        constexpr unsigned nbits = 64 * num_words<T>();
        BOOST_TEST_REQUIRE(lo <= hi);
        BOOST_TEST_REQUIRE(hi < nbits);
        BOOST_TEST(lsb_const == lo);
        BOOST_TEST(width_const == hi - lo + 1);
        const unsigned width = hi - lo + 1;

        // 1. All-ones into a zeroed structure sets exactly bits [hi:lo].
        {
            T t{};
            (t.*set)(~uint64_t{0});
            const uint64_t* w = words(t);
            for (unsigned i = 0; i < nbits; ++i) {
                const bool want = i >= lo && i <= hi;
                if (raw_bit(w, i) != want) BOOST_ERROR("set all-ones: bit " << i << " is " << raw_bit(w, i));
            }
            BOOST_TEST((t.*get)() == low_mask(width));
        }
        // 2. Zero into an all-ones structure clears exactly bits [hi:lo].
        {
            T t{};
            for (unsigned k = 0; k < num_words<T>(); ++k) words(t)[k] = ~uint64_t{0};
            (t.*set)(0);
            const uint64_t* w = words(t);
            for (unsigned i = 0; i < nbits; ++i) {
                const bool want = !(i >= lo && i <= hi);
                if (raw_bit(w, i) != want) BOOST_ERROR("clear in all-ones: bit " << i << " is " << raw_bit(w, i));
            }
            BOOST_TEST((t.*get)() == 0u);
        }
        // 3. Round trip of a non-trivial value, in a zeroed and in an all-ones
        //    structure; the raw bits must hold the value at [hi:lo].
        const uint64_t v = pattern(lo, width);
        for (int fill = 0; fill < 2; ++fill) {
            T t{};
            if (fill)
                for (unsigned k = 0; k < num_words<T>(); ++k) words(t)[k] = ~uint64_t{0};
            (t.*set)(v);
            BOOST_TEST((t.*get)() == v);
            const uint64_t* w = words(t);
            for (unsigned i = 0; i < nbits; ++i) {
                const bool want = (i >= lo && i <= hi) ? ((v >> (i - lo)) & 1) != 0 : fill != 0;
                if (raw_bit(w, i) != want)
                    BOOST_ERROR("round trip (fill " << fill << "): bit " << i << " is " << raw_bit(w, i));
            }
        }
        // 4. Values wider than the field are truncated, not spilled.
        {
            T t{};
            (t.*set)(v | ~low_mask(width));
            BOOST_TEST((t.*get)() == (width == 64 ? (v | ~low_mask(width)) : v));
        }
    }
}

}  // namespace

// FIELD(Type, Name, lo, hi): the spec places Type.Name at bits [hi:lo].
#define FIELD(T, F, LO, HI) check_field<T>(#T "." #F, &T::set_##F, &T::F, T::F##_lsb, T::F##_width, LO, HI)

// ===========================================================================
// Registers (IHI 0070 §6.3)
// ===========================================================================

BOOST_AUTO_TEST_CASE(register_offsets) {
    BOOST_TEST(reg::SMMU_IDR0 == 0x0000u);
    BOOST_TEST(reg::SMMU_IDR1 == 0x0004u);
    BOOST_TEST(reg::SMMU_IDR2 == 0x0008u);
    BOOST_TEST(reg::SMMU_IDR3 == 0x000Cu);
    BOOST_TEST(reg::SMMU_IDR4 == 0x0010u);
    BOOST_TEST(reg::SMMU_IDR5 == 0x0014u);
    BOOST_TEST(reg::SMMU_IIDR == 0x0018u);
    BOOST_TEST(reg::SMMU_AIDR == 0x001Cu);
    BOOST_TEST(reg::SMMU_CR0 == 0x0020u);
    BOOST_TEST(reg::SMMU_CR0ACK == 0x0024u);
    BOOST_TEST(reg::SMMU_CR1 == 0x0028u);
    BOOST_TEST(reg::SMMU_CR2 == 0x002Cu);
    BOOST_TEST(reg::SMMU_STATUSR == 0x0040u);
    BOOST_TEST(reg::SMMU_GBPA == 0x0044u);
    BOOST_TEST(reg::SMMU_AGBPA == 0x0048u);
    BOOST_TEST(reg::SMMU_IRQ_CTRL == 0x0050u);
    BOOST_TEST(reg::SMMU_IRQ_CTRLACK == 0x0054u);
    BOOST_TEST(reg::SMMU_GERROR == 0x0060u);
    BOOST_TEST(reg::SMMU_GERRORN == 0x0064u);
    BOOST_TEST(reg::SMMU_GERROR_IRQ_CFG0 == 0x0068u);
    BOOST_TEST(reg::SMMU_GERROR_IRQ_CFG1 == 0x0070u);
    BOOST_TEST(reg::SMMU_GERROR_IRQ_CFG2 == 0x0074u);
    BOOST_TEST(reg::SMMU_STRTAB_BASE == 0x0080u);
    BOOST_TEST(reg::SMMU_STRTAB_BASE_CFG == 0x0088u);
    BOOST_TEST(reg::SMMU_CMDQ_BASE == 0x0090u);
    BOOST_TEST(reg::SMMU_CMDQ_PROD == 0x0098u);
    BOOST_TEST(reg::SMMU_CMDQ_CONS == 0x009Cu);
    BOOST_TEST(reg::SMMU_EVENTQ_BASE == 0x00A0u);
    BOOST_TEST(reg::SMMU_EVENTQ_PROD == 0x100A8u);
    BOOST_TEST(reg::SMMU_EVENTQ_CONS == 0x100ACu);
    BOOST_TEST(reg::SMMU_EVENTQ_IRQ_CFG0 == 0x00B0u);
    BOOST_TEST(reg::SMMU_EVENTQ_IRQ_CFG1 == 0x00B8u);
    BOOST_TEST(reg::SMMU_EVENTQ_IRQ_CFG2 == 0x00BCu);
    BOOST_TEST(reg::SMMU_PRIQ_BASE == 0x00C0u);
    BOOST_TEST(reg::SMMU_PRIQ_PROD == 0x100C8u);
    BOOST_TEST(reg::SMMU_PRIQ_CONS == 0x100CCu);
    BOOST_TEST(reg::SMMU_PRIQ_IRQ_CFG0 == 0x00D0u);
    BOOST_TEST(reg::SMMU_PRIQ_IRQ_CFG1 == 0x00D8u);
    BOOST_TEST(reg::SMMU_PRIQ_IRQ_CFG2 == 0x00DCu);
}

BOOST_AUTO_TEST_CASE(register_encodings) {
    BOOST_TEST(CERROR_NONE == 0u);
    BOOST_TEST(CERROR_ILL == 1u);
    BOOST_TEST(CERROR_ABT == 2u);
    BOOST_TEST(CERROR_ATC_INV_SYNC == 3u);
    BOOST_TEST(STRTAB_FMT_LINEAR == 0u);
    BOOST_TEST(STRTAB_FMT_2LEVEL == 1u);
    BOOST_TEST(oas_bits(OAS_32BIT) == 32u);
    BOOST_TEST(oas_bits(OAS_36BIT) == 36u);
    BOOST_TEST(oas_bits(OAS_40BIT) == 40u);
    BOOST_TEST(oas_bits(OAS_42BIT) == 42u);
    BOOST_TEST(oas_bits(OAS_44BIT) == 44u);
    BOOST_TEST(oas_bits(OAS_48BIT) == 48u);
    BOOST_TEST(oas_bits(OAS_52BIT) == 52u);
    BOOST_TEST(oas_bits(OAS_56BIT) == 56u);
    BOOST_TEST(oas_bits(8) == 0u);
}

BOOST_AUTO_TEST_CASE(idr0_fields) {
    FIELD(Idr0, S2P, 0, 0);
    FIELD(Idr0, S1P, 1, 1);
    FIELD(Idr0, TTF, 2, 3);
    FIELD(Idr0, COHACC, 4, 4);
    FIELD(Idr0, BTM, 5, 5);
    FIELD(Idr0, HTTU, 6, 7);
    FIELD(Idr0, DORMHINT, 8, 8);
    FIELD(Idr0, Hyp, 9, 9);
    FIELD(Idr0, ATS, 10, 10);
    FIELD(Idr0, NS1ATS, 11, 11);
    FIELD(Idr0, ASID16, 12, 12);
    FIELD(Idr0, MSI, 13, 13);
    FIELD(Idr0, SEV, 14, 14);
    FIELD(Idr0, ATOS, 15, 15);
    FIELD(Idr0, PRI, 16, 16);
    FIELD(Idr0, VMW, 17, 17);
    FIELD(Idr0, VMID16, 18, 18);
    FIELD(Idr0, CD2L, 19, 19);
    FIELD(Idr0, VATOS, 20, 20);
    FIELD(Idr0, TTENDIAN, 21, 22);
    FIELD(Idr0, ATSRECERR, 23, 23);
    FIELD(Idr0, STALL_MODEL, 24, 25);
    FIELD(Idr0, TERM_MODEL, 26, 26);
    FIELD(Idr0, ST_LEVEL, 27, 28);
    FIELD(Idr0, RME_IMPL, 30, 30);
}

BOOST_AUTO_TEST_CASE(idr1_fields) {
    FIELD(Idr1, SIDSIZE, 0, 5);
    FIELD(Idr1, SSIDSIZE, 6, 10);
    FIELD(Idr1, PRIQS, 11, 15);
    FIELD(Idr1, EVENTQS, 16, 20);
    FIELD(Idr1, CMDQS, 21, 25);
    FIELD(Idr1, ATTR_PERMS_OVR, 26, 26);
    FIELD(Idr1, ATTR_TYPES_OVR, 27, 27);
    FIELD(Idr1, REL, 28, 28);
    FIELD(Idr1, QUEUES_PRESET, 29, 29);
    FIELD(Idr1, TABLES_PRESET, 30, 30);
    FIELD(Idr1, ECMDQ, 31, 31);
}

BOOST_AUTO_TEST_CASE(idr3_fields) {
    FIELD(Idr3, HAD, 2, 2);
    FIELD(Idr3, PBHA, 3, 3);
    FIELD(Idr3, XNX, 4, 4);
    FIELD(Idr3, PPS, 5, 5);
    FIELD(Idr3, MPAM, 7, 7);
    FIELD(Idr3, FWB, 8, 8);
    FIELD(Idr3, STT, 9, 9);
    FIELD(Idr3, RIL, 10, 10);
    FIELD(Idr3, BBML, 11, 12);
    FIELD(Idr3, E0PD, 13, 13);
    FIELD(Idr3, PTWNNC, 14, 14);
    FIELD(Idr3, DPT, 15, 15);
    FIELD(Idr3, PASIDTT, 16, 16);
    FIELD(Idr3, EPAN, 17, 17);
    FIELD(Idr3, S1PI, 18, 18);
    FIELD(Idr3, S2PI, 19, 19);
    FIELD(Idr3, S2PO, 20, 20);
    FIELD(Idr3, THE, 21, 21);
    FIELD(Idr3, MTEPERM, 22, 22);
    FIELD(Idr3, AIE, 23, 23);
}

BOOST_AUTO_TEST_CASE(idr5_iidr_aidr_fields) {
    FIELD(Idr5, OAS, 0, 2);
    FIELD(Idr5, GRAN4K, 4, 4);
    FIELD(Idr5, GRAN16K, 5, 5);
    FIELD(Idr5, GRAN64K, 6, 6);
    FIELD(Idr5, DS, 7, 7);
    FIELD(Idr5, D128, 8, 8);
    FIELD(Idr5, VAX, 10, 11);
    FIELD(Idr5, STALL_MAX, 16, 31);

    FIELD(Iidr, Implementer, 0, 11);
    FIELD(Iidr, Revision, 12, 15);
    FIELD(Iidr, Variant, 16, 19);
    FIELD(Iidr, ProductID, 20, 31);

    FIELD(Aidr, ArchMinorRev, 0, 3);
    FIELD(Aidr, ArchMajorRev, 4, 7);
}

BOOST_AUTO_TEST_CASE(control_register_fields) {
    FIELD(Cr0, SMMUEN, 0, 0);
    FIELD(Cr0, PRIQEN, 1, 1);
    FIELD(Cr0, EVENTQEN, 2, 2);
    FIELD(Cr0, CMDQEN, 3, 3);
    FIELD(Cr0, ATSCHK, 4, 4);
    FIELD(Cr0, VMW, 6, 8);
    FIELD(Cr0, DPT_WALK_EN, 10, 10);
    static_assert(std::is_same_v<Cr0Ack, Cr0>);

    FIELD(Cr1, QUEUE_IC, 0, 1);
    FIELD(Cr1, QUEUE_OC, 2, 3);
    FIELD(Cr1, QUEUE_SH, 4, 5);
    FIELD(Cr1, TABLE_IC, 6, 7);
    FIELD(Cr1, TABLE_OC, 8, 9);
    FIELD(Cr1, TABLE_SH, 10, 11);

    FIELD(Cr2, E2H, 0, 0);
    FIELD(Cr2, RECINVSID, 1, 1);
    FIELD(Cr2, PTM, 2, 2);
    FIELD(Cr2, REC_CFG_ATS, 3, 3);

    FIELD(Statusr, DORMANT, 0, 0);

    FIELD(Gbpa, MemAttr, 0, 3);
    FIELD(Gbpa, MTCFG, 4, 4);
    FIELD(Gbpa, ALLOCCFG, 8, 11);
    FIELD(Gbpa, SHCFG, 12, 13);
    FIELD(Gbpa, NSCFG, 14, 15);
    FIELD(Gbpa, PRIVCFG, 16, 17);
    FIELD(Gbpa, INSTCFG, 18, 19);
    FIELD(Gbpa, ABORT, 20, 20);
    FIELD(Gbpa, Update, 31, 31);

    FIELD(IrqCtrl, GERROR_IRQEN, 0, 0);
    FIELD(IrqCtrl, PRIQ_IRQEN, 1, 1);
    FIELD(IrqCtrl, EVENTQ_IRQEN, 2, 2);
    static_assert(std::is_same_v<IrqCtrlAck, IrqCtrl>);
}

BOOST_AUTO_TEST_CASE(gerror_and_irq_cfg_fields) {
    FIELD(Gerror, CMDQ_ERR, 0, 0);
    FIELD(Gerror, EVENTQ_ABT_ERR, 2, 2);
    FIELD(Gerror, PRIQ_ABT_ERR, 3, 3);
    FIELD(Gerror, MSI_CMDQ_ABT_ERR, 4, 4);
    FIELD(Gerror, MSI_EVENTQ_ABT_ERR, 5, 5);
    FIELD(Gerror, MSI_PRIQ_ABT_ERR, 6, 6);
    FIELD(Gerror, MSI_GERROR_ABT_ERR, 7, 7);
    FIELD(Gerror, SFM_ERR, 8, 8);
    FIELD(Gerror, CMDQP_ERR, 9, 9);
    FIELD(Gerror, DPT_ERR, 10, 10);
    static_assert(std::is_same_v<Gerrorn, Gerror>);

    FIELD(IrqCfg0, ADDR, 2, 51);
    FIELD(IrqCfg1, DATA, 0, 31);
    FIELD(IrqCfg2, MemAttr, 0, 3);
    FIELD(IrqCfg2, SH, 4, 5);

    IrqCfg0 c0;
    c0.set_addr(0x000F'1234'5678'9ABCull);
    BOOST_TEST(c0.value == 0x000F'1234'5678'9ABCull);
    BOOST_TEST(c0.addr() == 0x000F'1234'5678'9ABCull);
    c0.set_addr(0x1003);  // bits [1:0] are not part of the address
    BOOST_TEST(c0.value == 0x1000u);
}

BOOST_AUTO_TEST_CASE(table_and_queue_register_fields) {
    FIELD(StrtabBase, ADDR, 6, 51);
    FIELD(StrtabBase, RA, 62, 62);
    FIELD(StrtabBaseCfg, LOG2SIZE, 0, 5);
    FIELD(StrtabBaseCfg, SPLIT, 6, 10);
    FIELD(StrtabBaseCfg, FMT, 16, 17);
    FIELD(CmdqBase, LOG2SIZE, 0, 4);
    FIELD(CmdqBase, ADDR, 5, 51);
    FIELD(CmdqBase, RA, 62, 62);
    FIELD(EventqBase, LOG2SIZE, 0, 4);
    FIELD(EventqBase, ADDR, 5, 51);
    FIELD(EventqBase, WA, 62, 62);
    FIELD(CmdqProd, WR, 0, 19);
    FIELD(CmdqCons, RD, 0, 19);
    FIELD(CmdqCons, ERR, 24, 30);
    FIELD(EventqProd, WR, 0, 19);
    FIELD(EventqProd, OVFLG, 31, 31);
    FIELD(EventqCons, RD, 0, 19);
    FIELD(EventqCons, OVACKFLG, 31, 31);
}

BOOST_AUTO_TEST_CASE(register_known_values) {
    // 2-level Stream table, SPLIT 8, 2^16 StreamIDs (as Linux programs it).
    StrtabBaseCfg cfg;
    cfg.set_FMT(STRTAB_FMT_2LEVEL);
    cfg.set_SPLIT(8);
    cfg.set_LOG2SIZE(16);
    BOOST_TEST(cfg.value == 0x10210u);

    StrtabBase sb;
    sb.set_addr(0x0000'0008'1234'5640ull);
    sb.set_RA(1);
    BOOST_TEST(sb.value == 0x4000'0008'1234'5640ull);
    BOOST_TEST(sb.addr() == 0x0000'0008'1234'5640ull);

    CmdqBase cq;
    cq.set_addr(0x0000'0004'0000'8000ull);
    cq.set_LOG2SIZE(8);
    cq.set_RA(1);
    BOOST_TEST(cq.value == 0x4000'0004'0000'8008ull);

    EventqBase eq;
    eq.set_addr(0x0000'0004'0001'0020ull);
    eq.set_LOG2SIZE(7);
    eq.set_WA(1);
    BOOST_TEST(eq.value == 0x4000'0004'0001'0027ull);
    BOOST_TEST(eq.addr() == 0x0000'0004'0001'0020ull);

    Cr0 cr0;
    cr0.set_SMMUEN(1);
    cr0.set_EVENTQEN(1);
    cr0.set_CMDQEN(1);
    BOOST_TEST(cr0.value == 0xDu);

    CmdqCons cons;
    cons.set_RD(0x105);
    cons.set_ERR(CERROR_ILL);
    BOOST_TEST(cons.value == 0x0100'0105u);

    EventqProd ep;
    ep.value = 0x8000'0023u;
    BOOST_TEST(ep.OVFLG() == 1u);
    BOOST_TEST(ep.WR() == 0x23u);

    // An IDR0 as a stage-1+2, AArch64, 2-level, 16-bit ASID/VMID SMMU reports.
    Idr0 idr0;
    idr0.value = 0x0C0D'4A2Fu;
    BOOST_TEST(idr0.S2P() == 1u);
    BOOST_TEST(idr0.S1P() == 1u);
    BOOST_TEST(idr0.TTF() == IDR0_TTF_AARCH32_64);
    BOOST_TEST(idr0.COHACC() == 0u);
    BOOST_TEST(idr0.BTM() == 1u);
    BOOST_TEST(idr0.Hyp() == 1u);
    BOOST_TEST(idr0.ASID16() == 0u);
    BOOST_TEST(idr0.MSI() == 0u);
    BOOST_TEST(idr0.ATS() == 0u);
    BOOST_TEST(idr0.ST_LEVEL() == IDR0_ST_LEVEL_2LVL);
    BOOST_TEST(idr0.TERM_MODEL() == 1u);
    BOOST_TEST(idr0.STALL_MODEL() == 0u);
    BOOST_TEST(idr0.VMID16() == 1u);
    BOOST_TEST(idr0.CD2L() == 1u);
    BOOST_TEST(idr0.PRI() == 1u);
    BOOST_TEST(idr0.SEV() == 1u);

    Gbpa gbpa;
    gbpa.set_Update(1);
    gbpa.set_ABORT(1);
    BOOST_TEST(gbpa.value == 0x8010'0000u);
}

// ===========================================================================
// STE / L1STD (IHI 0070 §5.2, §5.1)
// ===========================================================================

BOOST_AUTO_TEST_CASE(ste_word0_word1_fields) {
    FIELD(Ste, V, 0, 0);
    FIELD(Ste, Config, 1, 3);
    FIELD(Ste, S1Fmt, 4, 5);
    FIELD(Ste, S1ContextPtr, 6, 51);
    FIELD(Ste, S1CDMax, 59, 63);
    FIELD(Ste, S1DSS, 64, 65);
    FIELD(Ste, S1CIR, 66, 67);
    FIELD(Ste, S1COR, 68, 69);
    FIELD(Ste, S1CSH, 70, 71);
    FIELD(Ste, S2HWU59, 72, 72);
    FIELD(Ste, S2HWU60, 73, 73);
    FIELD(Ste, S2HWU61, 74, 74);
    FIELD(Ste, S2HWU62, 75, 75);
    FIELD(Ste, DRE, 76, 76);
    FIELD(Ste, CONT, 77, 80);
    FIELD(Ste, DCP, 81, 81);
    FIELD(Ste, PPAR, 82, 82);
    FIELD(Ste, MEV, 83, 83);
    FIELD(Ste, SW_RESERVED, 84, 87);
    FIELD(Ste, S1PIE, 88, 88);
    FIELD(Ste, S2FWB, 89, 89);
    FIELD(Ste, S1MPAM, 90, 90);
    FIELD(Ste, S1STALLD, 91, 91);
    FIELD(Ste, EATS, 92, 93);
    FIELD(Ste, STRW, 94, 95);
    FIELD(Ste, MemAttr, 96, 99);
    FIELD(Ste, MTCFG, 100, 100);
    FIELD(Ste, ALLOCCFG, 101, 104);
    FIELD(Ste, SHCFG, 108, 109);
    FIELD(Ste, NSCFG, 110, 111);
    FIELD(Ste, PRIVCFG, 112, 113);
    FIELD(Ste, INSTCFG, 114, 115);
}

BOOST_AUTO_TEST_CASE(ste_word2_word3_fields) {
    FIELD(Ste, S2VMID, 128, 143);
    FIELD(Ste, S2T0SZ, 160, 165);
    FIELD(Ste, S2SL0, 166, 167);
    FIELD(Ste, S2IR0, 168, 169);
    FIELD(Ste, S2OR0, 170, 171);
    FIELD(Ste, S2SH0, 172, 173);
    FIELD(Ste, S2TG, 174, 175);
    FIELD(Ste, S2PS, 176, 178);
    FIELD(Ste, S2AA64, 179, 179);
    FIELD(Ste, S2ENDI, 180, 180);
    FIELD(Ste, S2AFFD, 181, 181);
    FIELD(Ste, S2PTW, 182, 182);
    FIELD(Ste, S2HD, 183, 183);
    FIELD(Ste, S2HA, 184, 184);
    FIELD(Ste, S2S, 185, 185);
    FIELD(Ste, S2R, 186, 186);
    FIELD(Ste, S2HAFT, 187, 187);
    FIELD(Ste, S2PIE, 188, 188);
    FIELD(Ste, S2POE, 189, 189);
    FIELD(Ste, DPT_VMATCH, 190, 191);
    FIELD(Ste, S2NSW, 192, 192);
    FIELD(Ste, S2NSA, 193, 193);
    FIELD(Ste, S2SL0_2, 194, 194);
    FIELD(Ste, S2DS, 195, 195);
    FIELD(Ste, S2TTB, 196, 243);
    FIELD(Ste, S2SKL, 253, 254);
}

BOOST_AUTO_TEST_CASE(ste_word4_to_word7_fields) {
    FIELD(Ste, PARTID, 272, 287);
    FIELD(Ste, S_S2T0SZ, 288, 293);
    FIELD(Ste, S_S2SL0, 294, 295);
    FIELD(Ste, S_S2TG, 302, 303);
    FIELD(Ste, MECID, 304, 319);
    FIELD(Ste, PMG, 320, 327);
    FIELD(Ste, MPAM_NS, 328, 328);
    FIELD(Ste, AssuredOnly, 329, 329);
    FIELD(Ste, TL0, 330, 330);
    FIELD(Ste, TL1, 331, 331);
    FIELD(Ste, VMSPtr, 332, 371);
    FIELD(Ste, S2SW, 384, 384);
    FIELD(Ste, S2SA, 385, 385);
    FIELD(Ste, S_S2SL0_2, 386, 386);
    FIELD(Ste, S_S2TTB, 388, 435);
    FIELD(Ste, S_S2SKL, 445, 446);
    FIELD(Ste, S2POI, 448, 511);
}

BOOST_AUTO_TEST_CASE(ste_constants_and_known_encodings) {
    BOOST_TEST(STE_CONFIG_ABORT == 0b000u);
    BOOST_TEST(STE_CONFIG_BYPASS == 0b100u);
    BOOST_TEST(STE_CONFIG_S1_TRANS == 0b101u);
    BOOST_TEST(STE_CONFIG_S2_TRANS == 0b110u);
    BOOST_TEST(STE_CONFIG_NESTED == 0b111u);
    BOOST_TEST(S1FMT_LINEAR == 0u);
    BOOST_TEST(S1FMT_4K_L2 == 1u);
    BOOST_TEST(S1FMT_64K_L2 == 2u);
    BOOST_TEST(S1DSS_TERMINATE == 0u);
    BOOST_TEST(S1DSS_BYPASS == 1u);
    BOOST_TEST(S1DSS_SUBSTREAM0 == 2u);

    // Stage-1 STE pointing at a single CD at 0x8_0000_1040.
    Ste s1;
    s1.set_V(1);
    s1.set_Config(STE_CONFIG_S1_TRANS);
    s1.set_s1_context_ptr_addr(0x8'0000'1040ull);
    BOOST_TEST(s1.dw[0] == 0x0000'0008'0000'104Bull);
    BOOST_TEST(s1.s1_context_ptr_addr() == 0x8'0000'1040ull);
    BOOST_TEST(s1.s1_enabled());
    BOOST_TEST(!s1.s2_enabled());

    // Word 1 as Linux builds it for an S1 stream with ATS: S1DSS=SUBSTREAM0,
    // S1CIR/S1COR=WBRA, S1CSH=ISH, EATS=full, STRW=EL2, SHCFG=incoming.
    s1.set_S1DSS(S1DSS_SUBSTREAM0);
    s1.set_S1CIR(1);
    s1.set_S1COR(1);
    s1.set_S1CSH(3);
    s1.set_EATS(EATS_FULL);
    s1.set_STRW(STRW_EL2);
    s1.set_SHCFG(SHCFG_INCOMING);
    BOOST_TEST(s1.dw[1] == 0x0000'1000'9000'00D6ull);

    // Stage-2 STE: VMID 0x1234, T0SZ 24, SL0 1, WBRAWA ISH walks, 4K, PS 48-bit,
    // AArch64, S2R; table at 0x4_0000_2000.
    Ste s2;
    s2.set_V(1);
    s2.set_Config(STE_CONFIG_S2_TRANS);
    s2.set_S2VMID(0x1234);
    s2.set_S2T0SZ(24);
    s2.set_S2SL0(1);
    s2.set_S2IR0(1);
    s2.set_S2OR0(1);
    s2.set_S2SH0(3);
    s2.set_S2TG(S2TG_4K);
    s2.set_S2PS(OAS_48BIT);
    s2.set_S2AA64(1);
    s2.set_S2R(1);
    s2.set_s2ttb_addr(0x4'0000'2000ull);
    BOOST_TEST(s2.dw[0] == 0xDu);
    BOOST_TEST(s2.dw[2] == 0x040D'3558'0000'1234ull);
    BOOST_TEST(s2.dw[3] == 0x0000'0004'0000'2000ull);
    BOOST_TEST(s2.s2ttb_addr() == 0x4'0000'2000ull);
    BOOST_TEST(s2.s2_enabled());
    BOOST_TEST(!s2.s1_enabled());

    s2.set_s_s2ttb_addr(0x000F'FFFF'FFFF'FFF0ull);
    BOOST_TEST(s2.dw[6] == 0x000F'FFFF'FFFF'FFF0ull);
    BOOST_TEST(s2.s_s2ttb_addr() == 0x000F'FFFF'FFFF'FFF0ull);
    s2.set_vms_ptr_addr(0x000F'FFFF'FFFF'F000ull);
    BOOST_TEST(s2.vms_ptr_addr() == 0x000F'FFFF'FFFF'F000ull);
    BOOST_TEST(s2.dw[5] == 0x000F'FFFF'FFFF'F000ull);
}

BOOST_AUTO_TEST_CASE(l1std_fields) {
    FIELD(L1Std, Span, 0, 4);
    FIELD(L1Std, L2Ptr, 6, 51);
    L1Std d;
    d.set_Span(9);
    d.set_l2ptr_addr(0x8'0004'0000ull);
    BOOST_TEST(d.value == 0x0000'0008'0004'0009ull);
    BOOST_TEST(d.l2ptr_addr() == 0x8'0004'0000ull);
}

// ===========================================================================
// CD / L1CD (IHI 0070 §5.4, §5.3)
// ===========================================================================

BOOST_AUTO_TEST_CASE(cd_word0_fields) {
    FIELD(Cd, T0SZ, 0, 5);
    FIELD(Cd, TG0, 6, 7);
    FIELD(Cd, IR0, 8, 9);
    FIELD(Cd, OR0, 10, 11);
    FIELD(Cd, SH0, 12, 13);
    FIELD(Cd, EPD0, 14, 14);
    FIELD(Cd, ENDI, 15, 15);
    FIELD(Cd, T1SZ, 16, 21);
    FIELD(Cd, TG1, 22, 23);
    FIELD(Cd, IR1, 24, 25);
    FIELD(Cd, OR1, 26, 27);
    FIELD(Cd, SH1, 28, 29);
    FIELD(Cd, EPD1, 30, 30);
    FIELD(Cd, V, 31, 31);
    FIELD(Cd, IPS, 32, 34);
    FIELD(Cd, AFFD, 35, 35);
    FIELD(Cd, WXN, 36, 36);
    FIELD(Cd, UWXN, 37, 37);
    FIELD(Cd, TBI0, 38, 38);
    FIELD(Cd, TBI1, 39, 39);
    FIELD(Cd, PAN, 40, 40);
    FIELD(Cd, AA64, 41, 41);
    FIELD(Cd, HD, 42, 42);
    FIELD(Cd, HA, 43, 43);
    FIELD(Cd, S, 44, 44);
    FIELD(Cd, R, 45, 45);
    FIELD(Cd, A, 46, 46);
    FIELD(Cd, ASET, 47, 47);
    FIELD(Cd, ASID, 48, 63);
}

BOOST_AUTO_TEST_CASE(cd_word1_to_word7_fields) {
    FIELD(Cd, NSCFG0, 64, 64);
    FIELD(Cd, HAD0, 65, 65);
    FIELD(Cd, DisCH0, 65, 65);
    FIELD(Cd, E0PD0, 66, 66);
    FIELD(Cd, HAFT, 67, 67);
    FIELD(Cd, TTB0, 68, 115);
    FIELD(Cd, PnCH, 122, 122);
    FIELD(Cd, EPAN, 123, 123);
    FIELD(Cd, HWU059, 124, 124);
    FIELD(Cd, HWU060, 125, 125);
    FIELD(Cd, HWU061, 126, 126);
    FIELD(Cd, HWU062, 127, 127);
    FIELD(Cd, SKL0, 126, 127);
    FIELD(Cd, NSCFG1, 128, 128);
    FIELD(Cd, HAD1, 129, 129);
    FIELD(Cd, DisCH1, 129, 129);
    FIELD(Cd, E0PD1, 130, 130);
    FIELD(Cd, AIE, 131, 131);
    FIELD(Cd, TTB1, 132, 179);
    FIELD(Cd, DS, 186, 186);
    FIELD(Cd, PIE, 187, 187);
    FIELD(Cd, HWU159, 188, 188);
    FIELD(Cd, HWU160, 189, 189);
    FIELD(Cd, HWU161, 190, 190);
    FIELD(Cd, HWU162, 191, 191);
    FIELD(Cd, SKL1, 190, 191);
    FIELD(Cd, MAIR0, 192, 223);
    FIELD(Cd, MAIR1, 224, 255);
    FIELD(Cd, AMAIR0, 256, 287);
    FIELD(Cd, AMAIR1, 288, 319);
    FIELD(Cd, IMPDEF, 320, 351);
    FIELD(Cd, PARTID, 352, 367);
    FIELD(Cd, PMG, 368, 375);
    FIELD(Cd, PIIU, 384, 431);
    FIELD(Cd, PIIP, 448, 495);
}

BOOST_AUTO_TEST_CASE(cd_granule_encodings) {
    // TG0 is encoded as TCR_EL1.TG0, TG1 as TCR_EL1.TG1: they differ.
    BOOST_TEST(TG0_4K == 0b00u);
    BOOST_TEST(TG0_64K == 0b01u);
    BOOST_TEST(TG0_16K == 0b10u);
    BOOST_TEST(TG1_16K == 0b01u);
    BOOST_TEST(TG1_4K == 0b10u);
    BOOST_TEST(TG1_64K == 0b11u);
    BOOST_TEST(tg0_granule_shift(0) == 12u);
    BOOST_TEST(tg0_granule_shift(1) == 16u);
    BOOST_TEST(tg0_granule_shift(2) == 14u);
    BOOST_TEST(tg0_granule_shift(3) == 0u);
    BOOST_TEST(tg1_granule_shift(0) == 0u);
    BOOST_TEST(tg1_granule_shift(1) == 14u);
    BOOST_TEST(tg1_granule_shift(2) == 12u);
    BOOST_TEST(tg1_granule_shift(3) == 16u);
}

BOOST_AUTO_TEST_CASE(cd_known_encoding) {
    // A Linux-style stage 1 CD: T0SZ 16, 4K, WBRAWA ISH walks, EPD1, V, IPS
    // 48-bit, AArch64, R, A, ASET, ASID 0x42, TTB0 0x8_1234_5000.
    Cd cd;
    cd.set_T0SZ(16);
    cd.set_TG0(TG0_4K);
    cd.set_IR0(RGN_WBRAWA);
    cd.set_OR0(RGN_WBRAWA);
    cd.set_SH0(3);
    cd.set_EPD1(1);
    cd.set_V(1);
    cd.set_IPS(OAS_48BIT);
    cd.set_AA64(1);
    cd.set_R(1);
    cd.set_A(1);
    cd.set_ASET(1);
    cd.set_ASID(0x42);
    cd.set_ttb0_addr(0x8'1234'5000ull);
    cd.set_mair(0x0000'0000'0044'FF04ull);
    BOOST_TEST(cd.dw[0] == 0x0042'E205'C000'3510ull);
    BOOST_TEST(cd.dw[1] == 0x0000'0008'1234'5000ull);
    BOOST_TEST(cd.dw[2] == 0u);
    BOOST_TEST(cd.dw[3] == 0x0000'0000'0044'FF04ull);
    BOOST_TEST(cd.ttb0_addr() == 0x8'1234'5000ull);
    BOOST_TEST(cd.mair() == 0x0000'0000'0044'FF04ull);

    cd.set_mair(0x0123'4567'89AB'CDEFull);
    BOOST_TEST(cd.MAIR0() == 0x89AB'CDEFu);
    BOOST_TEST(cd.MAIR1() == 0x0123'4567u);
    BOOST_TEST(cd.dw[3] == 0x0123'4567'89AB'CDEFull);
    cd.set_amair(0xFEDC'BA98'7654'3210ull);
    BOOST_TEST(cd.dw[4] == 0xFEDC'BA98'7654'3210ull);
    BOOST_TEST(cd.amair() == 0xFEDC'BA98'7654'3210ull);

    cd.set_ttb1_addr(0x000F'FFFF'FFFF'FFF0ull);
    BOOST_TEST(cd.dw[2] == 0x000F'FFFF'FFFF'FFF0ull);
    BOOST_TEST(cd.ttb1_addr() == 0x000F'FFFF'FFFF'FFF0ull);
}

BOOST_AUTO_TEST_CASE(l1cd_fields) {
    FIELD(L1Cd, V, 0, 0);
    FIELD(L1Cd, L2Ptr, 12, 51);
    L1Cd d;
    d.set_V(1);
    d.set_l2ptr_addr(0x8'0000'3000ull);
    BOOST_TEST(d.value == 0x0000'0008'0000'3001ull);
    BOOST_TEST(d.l2ptr_addr() == 0x8'0000'3000ull);
}

// ===========================================================================
// Commands (IHI 0070 §4)
// ===========================================================================

BOOST_AUTO_TEST_CASE(cmd_fields) {
    FIELD(Cmd, Opcode, 0, 7);
    FIELD(Cmd, Global, 9, 9);
    FIELD(Cmd, SSec, 10, 10);
    FIELD(Cmd, SSV, 11, 11);
    FIELD(Cmd, SubstreamID, 12, 31);
    FIELD(Cmd, NUM, 12, 16);
    FIELD(Cmd, SCALE, 20, 25);
    FIELD(Cmd, CS, 12, 13);
    FIELD(Cmd, Ac, 12, 12);
    FIELD(Cmd, Ab, 13, 13);
    FIELD(Cmd, MSH, 22, 23);
    FIELD(Cmd, MSIAttr, 24, 27);
    FIELD(Cmd, StreamID, 32, 63);
    FIELD(Cmd, MSIData, 32, 63);
    FIELD(Cmd, VMID, 32, 47);
    FIELD(Cmd, ASID, 48, 63);
    FIELD(Cmd, Leaf, 64, 64);
    FIELD(Cmd, Range, 64, 68);
    FIELD(Cmd, Size, 64, 68);
    FIELD(Cmd, Stride, 69, 73);
    FIELD(Cmd, ATCSize, 64, 69);
    FIELD(Cmd, PRGIndex, 64, 72);
    FIELD(Cmd, STAG, 64, 79);
    FIELD(Cmd, TTL128, 71, 71);
    FIELD(Cmd, TTL, 72, 73);
    FIELD(Cmd, TG, 74, 75);
    FIELD(Cmd, Resp, 76, 77);
    FIELD(Cmd, Address, 76, 127);
    FIELD(Cmd, IPAddress, 76, 115);
    FIELD(Cmd, MSIAddress, 66, 115);
}

BOOST_AUTO_TEST_CASE(cmd_opcodes) {
    BOOST_TEST(CMD_PREFETCH_CONFIG == 0x01);
    BOOST_TEST(CMD_PREFETCH_ADDR == 0x02);
    BOOST_TEST(CMD_CFGI_STE == 0x03);
    BOOST_TEST(CMD_CFGI_STE_RANGE == 0x04);
    BOOST_TEST(CMD_CFGI_ALL == 0x04);
    BOOST_TEST(CMD_CFGI_CD == 0x05);
    BOOST_TEST(CMD_CFGI_CD_ALL == 0x06);
    BOOST_TEST(CMD_TLBI_NH_ALL == 0x10);
    BOOST_TEST(CMD_TLBI_NH_ASID == 0x11);
    BOOST_TEST(CMD_TLBI_NH_VA == 0x12);
    BOOST_TEST(CMD_TLBI_NH_VAA == 0x13);
    BOOST_TEST(CMD_TLBI_EL3_ALL == 0x18);
    BOOST_TEST(CMD_TLBI_EL3_VA == 0x1A);
    BOOST_TEST(CMD_TLBI_EL2_ALL == 0x20);
    BOOST_TEST(CMD_TLBI_EL2_ASID == 0x21);
    BOOST_TEST(CMD_TLBI_EL2_VA == 0x22);
    BOOST_TEST(CMD_TLBI_EL2_VAA == 0x23);
    BOOST_TEST(CMD_TLBI_S12_VMALL == 0x28);
    BOOST_TEST(CMD_TLBI_S2_IPA == 0x2A);
    BOOST_TEST(CMD_TLBI_NSNH_ALL == 0x30);
    BOOST_TEST(CMD_ATC_INV == 0x40);
    BOOST_TEST(CMD_PRI_RESP == 0x41);
    BOOST_TEST(CMD_RESUME == 0x44);
    BOOST_TEST(CMD_STALL_TERM == 0x45);
    BOOST_TEST(CMD_SYNC == 0x46);
}

BOOST_AUTO_TEST_CASE(cmd_sync_encodings) {
    // CMD_SYNC, CS = SIG_IRQ with an MSI: ISH, Normal WB, data 0xDEADBEEF to
    // 0x123_4567_8ABC.
    Cmd msi = cmd_sync_msi(0x0123'4567'8ABCull, 0xDEADBEEFu);
    BOOST_TEST(msi.dw[0] == 0xDEAD'BEEF'0FC0'1046ull);
    BOOST_TEST(msi.dw[1] == 0x0000'0123'4567'8ABCull);
    BOOST_TEST(msi.CS() == CS_SIG_IRQ);
    BOOST_TEST(msi.msi_address() == 0x0123'4567'8ABCull);
    BOOST_TEST(msi.MSIData() == 0xDEADBEEFu);

    Cmd irq = cmd_sync_irq();
    BOOST_TEST(irq.dw[0] == 0x1046u);
    BOOST_TEST(irq.dw[1] == 0u);
    Cmd sev = cmd_sync_sev();
    BOOST_TEST(sev.dw[0] == 0x2046u);
    BOOST_TEST(sev.dw[1] == 0u);
    Cmd none = cmd_sync_none();
    BOOST_TEST(none.dw[0] == 0x46u);
    BOOST_TEST(none.dw[1] == 0u);
}

BOOST_AUTO_TEST_CASE(cmd_cfgi_encodings) {
    Cmd ste = cmd_cfgi_ste(0x1234, true);
    BOOST_TEST(ste.dw[0] == 0x0000'1234'0000'0003ull);
    BOOST_TEST(ste.dw[1] == 0x1u);

    Cmd all = cmd_cfgi_all();
    BOOST_TEST(all.dw[0] == 0x4u);
    BOOST_TEST(all.dw[1] == 31u);

    Cmd range = cmd_cfgi_ste_range(0x100, 7);
    BOOST_TEST(range.dw[0] == 0x0000'0100'0000'0004ull);
    BOOST_TEST(range.dw[1] == 7u);

    Cmd cd = cmd_cfgi_cd(0x55, 0xABCDE, false);
    BOOST_TEST(cd.dw[0] == 0x0000'0055'ABCD'E005ull);
    BOOST_TEST(cd.dw[1] == 0u);

    Cmd cdall = cmd_cfgi_cd_all(0xFFFF'FFFFu);
    BOOST_TEST(cdall.dw[0] == 0xFFFF'FFFF'0000'0006ull);

    Cmd pc = cmd_prefetch_config(0x77, true, 0x12);
    BOOST_TEST(pc.dw[0] == 0x0000'0077'0001'2801ull);
    BOOST_TEST(pc.dw[1] == 0u);

    Cmd pa = cmd_prefetch_addr(0x77, 0xFFFF'0000'1234'5FFFull, 4);
    BOOST_TEST(pa.dw[0] == 0x0000'0077'0000'0002ull);
    BOOST_TEST(pa.dw[1] == 0xFFFF'0000'1234'5004ull);
}

BOOST_AUTO_TEST_CASE(cmd_tlbi_encodings) {
    Cmd va = cmd_tlbi_nh_va(5, 0x77, 0xFFFF'8000'1234'5678ull, true);
    BOOST_TEST(va.dw[0] == 0x0077'0005'0000'0012ull);
    BOOST_TEST(va.dw[1] == 0xFFFF'8000'1234'5001ull);
    BOOST_TEST(va.address() == 0xFFFF'8000'1234'5000ull);

    // Range: NUM 3, SCALE 2, TG 4K, TTL 3 -> (3+1) * 2^2 pages.
    cmd_tlbi_set_range(va, 3, 2, TLBI_TG_4K, 3);
    BOOST_TEST(va.dw[0] == 0x0077'0005'0020'3012ull);
    BOOST_TEST(va.dw[1] == 0xFFFF'8000'1234'5701ull);

    Cmd ipa = cmd_tlbi_s2_ipa(9, 0x0008'1234'5678'9ABCull, false);
    BOOST_TEST(ipa.dw[0] == 0x0000'0009'0000'002Aull);
    BOOST_TEST(ipa.dw[1] == 0x0008'1234'5678'9000ull);
    BOOST_TEST(ipa.ip_address() == 0x0008'1234'5678'9000ull);

    BOOST_TEST(cmd_tlbi_nh_all(0xBEEF).dw[0] == 0x0000'BEEF'0000'0010ull);
    BOOST_TEST(cmd_tlbi_nh_asid(1, 2).dw[0] == 0x0002'0001'0000'0011ull);
    Cmd vaa = cmd_tlbi_nh_vaa(3, 0x4000'0000ull, false);
    BOOST_TEST(vaa.dw[0] == 0x0000'0003'0000'0013ull);
    BOOST_TEST(vaa.dw[1] == 0x4000'0000ull);
    BOOST_TEST(cmd_tlbi_el2_all().dw[0] == 0x20u);
    BOOST_TEST(cmd_tlbi_el2_asid(0x99).dw[0] == 0x0099'0000'0000'0021ull);
    Cmd el2va = cmd_tlbi_el2_va(0x99, 0x1000, true);
    BOOST_TEST(el2va.dw[0] == 0x0099'0000'0000'0022ull);
    BOOST_TEST(el2va.dw[1] == 0x1001u);
    BOOST_TEST(cmd_tlbi_el2_vaa(0x2000, false).dw[1] == 0x2000u);
    BOOST_TEST(cmd_tlbi_el2_vaa(0x2000, false).dw[0] == 0x23u);
    BOOST_TEST(cmd_tlbi_el3_all().dw[0] == 0x18u);
    BOOST_TEST(cmd_tlbi_el3_va(0x3000, true).dw[0] == 0x1Au);
    BOOST_TEST(cmd_tlbi_el3_va(0x3000, true).dw[1] == 0x3001u);
    BOOST_TEST(cmd_tlbi_s12_vmall(0x1234).dw[0] == 0x0000'1234'0000'0028ull);
    BOOST_TEST(cmd_tlbi_nsnh_all().dw[0] == 0x30u);
    BOOST_TEST(cmd_tlbi_nsnh_all().dw[1] == 0u);
}

BOOST_AUTO_TEST_CASE(cmd_ats_pri_stall_encodings) {
    Cmd atc = cmd_atc_inv(0x10, 0x4000'0000ull, 3, true, true, 7);
    BOOST_TEST(atc.dw[0] == 0x0000'0010'0000'7A40ull);
    BOOST_TEST(atc.dw[1] == 0x4000'0003ull);

    Cmd pri = cmd_pri_resp(0x20, 0x1FF, PRI_RESP_SUCC, true, 5);
    BOOST_TEST(pri.dw[0] == 0x0000'0020'0000'5841ull);
    BOOST_TEST(pri.dw[1] == 0x21FFu);

    Cmd retry = cmd_resume(0x42, 0xABCD, ResumeAction::Retry);
    BOOST_TEST(retry.dw[0] == 0x0000'0042'0000'1044ull);
    BOOST_TEST(retry.dw[1] == 0xABCDu);
    Cmd abort = cmd_resume(0x42, 0xABCD, ResumeAction::Abort);
    BOOST_TEST(abort.dw[0] == 0x0000'0042'0000'2044ull);
    Cmd term = cmd_resume(0x42, 1, ResumeAction::Terminate);
    BOOST_TEST(term.dw[0] == 0x0000'0042'0000'0044ull);
    BOOST_TEST(term.dw[1] == 1u);

    Cmd st = cmd_stall_term(0x42);
    BOOST_TEST(st.dw[0] == 0x0000'0042'0000'0045ull);
    BOOST_TEST(st.dw[1] == 0u);
}

BOOST_AUTO_TEST_CASE(cmd_defined_bits_masks) {
    CmdBits cfgi = cmd_defined_bits(CMD_CFGI_STE);
    BOOST_TEST(cfgi.known);
    BOOST_TEST(cfgi.dw[0] == 0xFFFF'FFFF'0000'04FFull);  // Opcode, SSec, StreamID
    BOOST_TEST(cfgi.dw[1] == 0x1u);                      // Leaf

    CmdBits sync = cmd_defined_bits(CMD_SYNC);
    BOOST_TEST(sync.dw[0] == 0xFFFF'FFFF'0FC0'30FFull);
    BOOST_TEST(sync.dw[1] == 0x000F'FFFF'FFFF'FFFCull);

    CmdBits va = cmd_defined_bits(CMD_TLBI_NH_VA);
    BOOST_TEST(va.dw[0] == 0xFFFF'FFFF'03F1'F0FFull);
    BOOST_TEST(va.dw[1] == 0xFFFF'FFFF'FFFF'FF81ull);

    CmdBits vaa = cmd_defined_bits(CMD_TLBI_NH_VAA);
    BOOST_TEST(vaa.dw[0] == 0x0000'FFFF'03F1'F0FFull);

    CmdBits ipa = cmd_defined_bits(CMD_TLBI_S2_IPA);
    BOOST_TEST(ipa.dw[0] == 0x0000'FFFF'03F1'F0FFull);
    BOOST_TEST(ipa.dw[1] == 0x000F'FFFF'FFFF'FF81ull);

    CmdBits el3 = cmd_defined_bits(CMD_TLBI_EL3_VA);
    BOOST_TEST(el3.dw[0] == 0x0000'0000'03F1'F0FFull);

    CmdBits nsnh = cmd_defined_bits(CMD_TLBI_NSNH_ALL);
    BOOST_TEST(nsnh.known);
    BOOST_TEST(nsnh.dw[0] == 0xFFu);
    BOOST_TEST(nsnh.dw[1] == 0u);

    CmdBits resume = cmd_defined_bits(CMD_RESUME);
    BOOST_TEST(resume.dw[0] == 0xFFFF'FFFF'0000'34FFull);
    BOOST_TEST(resume.dw[1] == 0xFFFFu);

    CmdBits atc = cmd_defined_bits(CMD_ATC_INV);
    BOOST_TEST(atc.dw[0] == 0xFFFF'FFFF'FFFF'FAFFull);
    BOOST_TEST(atc.dw[1] == 0xFFFF'FFFF'FFFF'F03Full);

    CmdBits pri = cmd_defined_bits(CMD_PRI_RESP);
    BOOST_TEST(pri.dw[0] == 0xFFFF'FFFF'FFFF'F8FFull);
    BOOST_TEST(pri.dw[1] == 0x31FFu);

    CmdBits pfa = cmd_defined_bits(CMD_PREFETCH_ADDR);
    BOOST_TEST(pfa.dw[0] == 0xFFFF'FFFF'FFFF'FCFFull);
    BOOST_TEST(pfa.dw[1] == 0xFFFF'FFFF'FFFF'F3FFull);

    for (uint8_t op : {uint8_t{0x00}, uint8_t{0x07}, uint8_t{0x08}, uint8_t{0x14}, uint8_t{0x19}, uint8_t{0x42},
                       uint8_t{0x50}, uint8_t{0x70}, uint8_t{0x80}, uint8_t{0xFF}})
        BOOST_TEST(!cmd_defined_bits(op).known, "opcode " << unsigned(op));

    // Every builder produces a command with no RES0 bit set.
    const Cmd built[] = {cmd_prefetch_config(1, true, 2), cmd_prefetch_addr(1, ~0ull, 31, true, 5, 31),
                         cmd_cfgi_ste(~0u, true), cmd_cfgi_all(), cmd_cfgi_cd(~0u, 0xFFFFF, true),
                         cmd_cfgi_cd_all(~0u), cmd_tlbi_nh_all(0xFFFF), cmd_tlbi_nh_asid(0xFFFF, 0xFFFF),
                         cmd_tlbi_nh_va(0xFFFF, 0xFFFF, ~0ull, true), cmd_tlbi_nh_vaa(0xFFFF, ~0ull, true),
                         cmd_tlbi_el2_all(), cmd_tlbi_el2_asid(0xFFFF), cmd_tlbi_el2_va(0xFFFF, ~0ull, true),
                         cmd_tlbi_el2_vaa(~0ull, true), cmd_tlbi_el3_all(), cmd_tlbi_el3_va(~0ull, true),
                         cmd_tlbi_s12_vmall(0xFFFF), cmd_tlbi_s2_ipa(0xFFFF, ~0ull, true), cmd_tlbi_nsnh_all(),
                         cmd_atc_inv(~0u, ~0ull, 63, true, true, 0xFFFFF), cmd_pri_resp(~0u, 0x1FF, 3, true, 0xFFFFF),
                         cmd_resume(~0u, 0xFFFF, ResumeAction::Retry), cmd_resume(~0u, 0xFFFF, ResumeAction::Abort),
                         cmd_stall_term(~0u), cmd_sync_none(), cmd_sync_irq(), cmd_sync_sev(),
                         cmd_sync_msi(~0ull, ~0u, 3, 0xF)};
    for (const Cmd& c : built) {
        const CmdBits m = cmd_defined_bits(static_cast<uint8_t>(c.Opcode()));
        BOOST_TEST(m.known, "opcode " << c.Opcode());
        BOOST_TEST(!m.res0_violation(c), "opcode " << c.Opcode());
    }

    // A RES0 bit is detected: SSV in CMD_CFGI_STE, bit 127 of CMD_TLBI_S2_IPA,
    // ASID in CMD_TLBI_NH_VAA, bit 14 in CMD_SYNC.
    Cmd bad = cmd_cfgi_ste(1, true);
    bad.set_SSV(1);
    BOOST_TEST(cmd_defined_bits(CMD_CFGI_STE).res0_violation(bad));
    bad = cmd_tlbi_s2_ipa(1, 0x1000, false);
    bad.set_Address(bad.Address() | (uint64_t{1} << 51));
    BOOST_TEST(cmd_defined_bits(CMD_TLBI_S2_IPA).res0_violation(bad));
    bad = cmd_tlbi_nh_vaa(1, 0x1000, false);
    bad.set_ASID(1);
    BOOST_TEST(cmd_defined_bits(CMD_TLBI_NH_VAA).res0_violation(bad));
    bad = cmd_sync_none();
    bad.dw[0] |= 0x4000;
    BOOST_TEST(cmd_defined_bits(CMD_SYNC).res0_violation(bad));
}

// ===========================================================================
// Event records (IHI 0070 §7.3)
// ===========================================================================

BOOST_AUTO_TEST_CASE(event_fields) {
    FIELD(Event, EventType, 0, 7);
    FIELD(Event, SSV, 11, 11);
    FIELD(Event, SubstreamID, 12, 31);
    FIELD(Event, StreamID, 32, 63);
    FIELD(Event, STAG, 64, 79);
    FIELD(Event, Reason, 64, 79);
    FIELD(Event, GPCF, 80, 80);
    FIELD(Event, ConflictReason, 64, 95);
    FIELD(Event, Stall, 95, 95);
    FIELD(Event, PnU, 97, 97);
    FIELD(Event, InD, 98, 98);
    FIELD(Event, RnW, 99, 99);
    FIELD(Event, NSIPA, 102, 102);
    FIELD(Event, S2, 103, 103);
    FIELD(Event, CLASS, 104, 105);
    FIELD(Event, TTRnW, 108, 108);
    FIELD(Event, uX, 97, 97);
    FIELD(Event, uW, 98, 98);
    FIELD(Event, uR, 99, 99);
    FIELD(Event, pX, 101, 101);
    FIELD(Event, pW, 102, 102);
    FIELD(Event, pR, 103, 103);
    FIELD(Event, Span, 108, 115);
    FIELD(Event, InputAddr, 128, 191);
    FIELD(Event, PageReqInputAddr, 140, 191);
    FIELD(Event, IPA, 204, 243);
    FIELD(Event, FetchAddr, 195, 243);
}

BOOST_AUTO_TEST_CASE(event_types) {
    BOOST_TEST(F_UUT == 0x01);
    BOOST_TEST(C_BAD_STREAMID == 0x02);
    BOOST_TEST(F_STE_FETCH == 0x03);
    BOOST_TEST(C_BAD_STE == 0x04);
    BOOST_TEST(F_BAD_ATS_TREQ == 0x05);
    BOOST_TEST(F_STREAM_DISABLED == 0x06);
    BOOST_TEST(F_TRANSL_FORBIDDEN == 0x07);
    BOOST_TEST(C_BAD_SUBSTREAMID == 0x08);
    BOOST_TEST(F_CD_FETCH == 0x09);
    BOOST_TEST(C_BAD_CD == 0x0A);
    BOOST_TEST(F_WALK_EABT == 0x0B);
    BOOST_TEST(F_TRANSLATION == 0x10);
    BOOST_TEST(F_ADDR_SIZE == 0x11);
    BOOST_TEST(F_ACCESS == 0x12);
    BOOST_TEST(F_PERMISSION == 0x13);
    BOOST_TEST(F_TLB_CONFLICT == 0x20);
    BOOST_TEST(F_CFG_CONFLICT == 0x21);
    BOOST_TEST(E_PAGE_REQUEST == 0x24);
    BOOST_TEST(F_VMS_FETCH == 0x25);
    BOOST_TEST(CLASS_CD == 0u);
    BOOST_TEST(CLASS_TT == 1u);
    BOOST_TEST(CLASS_IN == 2u);

    BOOST_TEST(std::string(event_type_name(F_TRANSLATION)) == "F_TRANSLATION");
    BOOST_TEST(std::string(event_type_name(C_BAD_STE)) == "C_BAD_STE");
    BOOST_TEST(std::string(event_type_name(F_VMS_FETCH)) == "F_VMS_FETCH");
    BOOST_TEST(std::string(event_type_name(E_PAGE_REQUEST)) == "E_PAGE_REQUEST");
    BOOST_TEST(std::string(event_type_name(0xE5)) == "IMPDEF_EVENT");
    BOOST_TEST(std::string(event_type_name(0x00)) == "UNKNOWN");
    BOOST_TEST(std::string(event_type_name(0x14)) == "UNKNOWN");
    const uint8_t all[] = {F_UUT, C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE, F_BAD_ATS_TREQ, F_STREAM_DISABLED,
                           F_TRANSL_FORBIDDEN, C_BAD_SUBSTREAMID, F_CD_FETCH, C_BAD_CD, F_WALK_EABT,
                           F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION, F_TLB_CONFLICT, F_CFG_CONFLICT,
                           E_PAGE_REQUEST, F_VMS_FETCH};
    for (uint8_t t : all) BOOST_TEST(std::string(event_type_name(t)) != "UNKNOWN");
}

BOOST_AUTO_TEST_CASE(event_known_records) {
    // F_TRANSLATION: StreamID 5, SubstreamID 3 (SSV), InputAddr 0xdead000, read.
    Event e = Event::make(F_TRANSLATION, 5);
    e.set_SSV(1);
    e.set_SubstreamID(3);
    e.set_InputAddr(0xdead000);
    e.set_RnW(1);
    BOOST_TEST(e.dw[0] == 0x0000'0005'0000'3810ull);
    BOOST_TEST(e.dw[1] == 0x0000'0008'0000'0000ull);
    BOOST_TEST(e.dw[2] == 0x0000'0000'0DEA'D000ull);
    BOOST_TEST(e.dw[3] == 0u);
    BOOST_TEST(std::string(e.type_name()) == "F_TRANSLATION");

    // Stalled stage 2 F_PERMISSION on a stage 1 table write (CLASS TT, TTRnW
    // set), privileged, STAG 0xABCD, descriptor IPA 0x8_0000_4000.
    Event p = Event::make(F_PERMISSION, 0x42);
    p.set_Stall(1);
    p.set_STAG(0xABCD);
    p.set_PnU(1);
    p.set_S2(1);
    p.set_CLASS(CLASS_TT);
    p.set_TTRnW(1);
    p.set_InputAddr(0xFFFF'0000'1234'5678ull);
    p.set_ipa(0x8'0000'4ABCull);
    BOOST_TEST(p.dw[0] == 0x0000'0042'0000'0013ull);
    BOOST_TEST(p.dw[1] == 0x0000'1182'8000'ABCDull);
    BOOST_TEST(p.dw[2] == 0xFFFF'0000'1234'5678ull);
    BOOST_TEST(p.dw[3] == 0x0000'0008'0000'4000ull);
    BOOST_TEST(p.ipa() == 0x8'0000'4000ull);

    // F_WALK_EABT: stage 2 walk for an input address, read, descriptor fetch
    // at 0x1_2345_6788, Reason 0x55.
    Event w = Event::make(F_WALK_EABT, 7);
    w.set_RnW(1);
    w.set_CLASS(CLASS_IN);
    w.set_Reason(0x55);
    w.set_fetch_addr(0x1'2345'6788ull);
    BOOST_TEST(w.dw[0] == 0x0000'0007'0000'000Bull);
    BOOST_TEST(w.dw[1] == 0x0000'0208'0000'0055ull);
    BOOST_TEST(w.dw[3] == 0x0000'0001'2345'6788ull);
    BOOST_TEST(w.fetch_addr() == 0x1'2345'6788ull);

    // C_BAD_STE for StreamID 0x1234 without a substream.
    Event b = Event::make(C_BAD_STE, 0x1234);
    BOOST_TEST(b.dw[0] == 0x0000'1234'0000'0004ull);
    BOOST_TEST(b.dw[1] == 0u);

    // F_CFG_CONFLICT with a 32-bit reason.
    Event c = Event::make(F_CFG_CONFLICT, 1);
    c.set_ConflictReason(0x8765'4321u);
    BOOST_TEST(c.dw[1] == 0x8765'4321u);

    // E_PAGE_REQUEST: StreamID 3, SubstreamID 9, pR uR uW, Span 4, address
    // 0x7fff_1234_5000.
    Event r = Event::make(E_PAGE_REQUEST, 3);
    r.set_SSV(1);
    r.set_SubstreamID(9);
    r.set_pR(1);
    r.set_uR(1);
    r.set_uW(1);
    r.set_Span(4);
    r.set_page_req_input_addr(0x7FFF'1234'5678ull);
    BOOST_TEST(r.dw[0] == 0x0000'0003'0000'9824ull);
    BOOST_TEST(r.dw[1] == 0x0000'408C'0000'0000ull);
    BOOST_TEST(r.dw[2] == 0x0000'7FFF'1234'5000ull);
    BOOST_TEST(r.page_req_input_addr() == 0x7FFF'1234'5000ull);
}
