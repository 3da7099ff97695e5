// Arm SMMUv3 Context Descriptor and Level 1 Context Descriptor.
//
// IHI 0070 §5.4 "CD, Context Descriptor" and §5.3 "L1CD, Level 1 Context
// Descriptor". Bit positions are absolute within the structure.
//
// Address width: 52-bit (SMMUv3.1-v3.3). With VMSAv9-128 (SMMUv3.4) TTB0/TTB1
// extend to [119:68]/[183:132] (PA[55:4]) and L1CD.L2Ptr to [55:12]; those
// bits are RES0 otherwise and are not part of the fields here.
//
// Cross-checked against: the IHI 0070 CD pages, Linux arm-smmu-v3.h
// (CTXDESC_*), gem5 smmu_v3_defs.hh (ContextDescriptor), FreeBSD smmureg.h
// (CD0_*), QEMU smmuv3-internal.h (CD_*). Disagreements:
//   * QEMU's CD_TTB() keeps only address bits [50:4] (19 high bits) and its
//     STE/CD pointers stop at bit 47; the spec and Linux have [51:4].
//   * gem5 (tbi) and QEMU (CD_TBI) read one 2-bit field at [39:38]; the spec
//     lists TBI0 [38] and TBI1 [39] separately, as here (Linux: TBI0 = 1<<38).
// Fields added after SMMUv3.1 (E0PD, HAFT, PnCH, EPAN, AIE, DS, PIE, PIIU/PIIP,
// PARTID/PMG) come from the IHI 0070 pages alone.
#pragma once

#include <cstdint>

#include "models/common/bits.h"

namespace iommusim::smmuv3 {

// CD.TG0 encodes granules as TCR_ELx.TG0 ...
inline constexpr uint64_t TG0_4K = 0b00;
inline constexpr uint64_t TG0_64K = 0b01;
inline constexpr uint64_t TG0_16K = 0b10;  // 0b11 reserved
// ... and CD.TG1 as TCR_ELx.TG1, which is a different encoding.
inline constexpr uint64_t TG1_16K = 0b01;  // 0b00 reserved
inline constexpr uint64_t TG1_4K = 0b10;
inline constexpr uint64_t TG1_64K = 0b11;

// log2 of the granule selected by a TG0 (or STE.S2TG) / TG1 value; 0 for a
// reserved encoding.
constexpr unsigned tg0_granule_shift(uint64_t tg0) {
    return tg0 == TG0_4K ? 12 : tg0 == TG0_64K ? 16 : tg0 == TG0_16K ? 14 : 0;
}
constexpr unsigned tg1_granule_shift(uint64_t tg1) {
    return tg1 == TG1_4K ? 12 : tg1 == TG1_64K ? 16 : tg1 == TG1_16K ? 14 : 0;
}

// CD.IR0/OR0/IR1/OR1 (and STE.S2IR0/S2OR0) cacheability encodings.
inline constexpr uint64_t RGN_NC = 0b00;
inline constexpr uint64_t RGN_WBRAWA = 0b01;
inline constexpr uint64_t RGN_WT = 0b10;
inline constexpr uint64_t RGN_WBRA = 0b11;

// 64-byte Context Descriptor.
struct Cd {
    uint64_t dw[8] = {};

    // ---- Word 0 ----
    IOMMUSIM_FIELD(T0SZ, 0, 6)
    IOMMUSIM_FIELD(TG0, 6, 2)
    IOMMUSIM_FIELD(IR0, 8, 2)
    IOMMUSIM_FIELD(OR0, 10, 2)
    IOMMUSIM_FIELD(SH0, 12, 2)
    IOMMUSIM_FIELD(EPD0, 14, 1)
    IOMMUSIM_FIELD(ENDI, 15, 1)
    IOMMUSIM_FIELD(T1SZ, 16, 6)
    IOMMUSIM_FIELD(TG1, 22, 2)
    IOMMUSIM_FIELD(IR1, 24, 2)
    IOMMUSIM_FIELD(OR1, 26, 2)
    IOMMUSIM_FIELD(SH1, 28, 2)
    IOMMUSIM_FIELD(EPD1, 30, 1)
    IOMMUSIM_FIELD(V, 31, 1)
    IOMMUSIM_FIELD(IPS, 32, 3)
    IOMMUSIM_FIELD(AFFD, 35, 1)
    IOMMUSIM_FIELD(WXN, 36, 1)
    IOMMUSIM_FIELD(UWXN, 37, 1)
    IOMMUSIM_FIELD(TBI0, 38, 1)
    IOMMUSIM_FIELD(TBI1, 39, 1)
    IOMMUSIM_FIELD(PAN, 40, 1)
    IOMMUSIM_FIELD(AA64, 41, 1)
    IOMMUSIM_FIELD(HD, 42, 1)
    IOMMUSIM_FIELD(HA, 43, 1)
    IOMMUSIM_FIELD(S, 44, 1)
    IOMMUSIM_FIELD(R, 45, 1)
    IOMMUSIM_FIELD(A, 46, 1)
    IOMMUSIM_FIELD(ASET, 47, 1)
    IOMMUSIM_FIELD(ASID, 48, 16)

    // ---- Word 1 (TTB0) ----
    IOMMUSIM_FIELD(NSCFG0, 64, 1)
    IOMMUSIM_FIELD(HAD0, 65, 1)    // when SMMU_IDR5.D128 == 0
    IOMMUSIM_FIELD(DisCH0, 65, 1)  // when SMMU_IDR5.D128 == 1 (same bit)
    IOMMUSIM_FIELD(E0PD0, 66, 1)
    IOMMUSIM_FIELD(HAFT, 67, 1)
    IOMMUSIM_FIELD(TTB0, 68, 48)  // PA/IPA[51:4]
    IOMMUSIM_FIELD(PnCH, 122, 1)
    IOMMUSIM_FIELD(EPAN, 123, 1)
    IOMMUSIM_FIELD(HWU059, 124, 1)
    IOMMUSIM_FIELD(HWU060, 125, 1)
    IOMMUSIM_FIELD(HWU061, 126, 1)  // when D128 == 0
    IOMMUSIM_FIELD(HWU062, 127, 1)  // when D128 == 0
    IOMMUSIM_FIELD(SKL0, 126, 2)    // when D128 == 1 (same bits as HWU061/062)

    // ---- Word 2 (TTB1) ----
    IOMMUSIM_FIELD(NSCFG1, 128, 1)
    IOMMUSIM_FIELD(HAD1, 129, 1)    // when D128 == 0
    IOMMUSIM_FIELD(DisCH1, 129, 1)  // when D128 == 1 (same bit)
    IOMMUSIM_FIELD(E0PD1, 130, 1)
    IOMMUSIM_FIELD(AIE, 131, 1)
    IOMMUSIM_FIELD(TTB1, 132, 48)  // PA/IPA[51:4]
    IOMMUSIM_FIELD(DS, 186, 1)
    IOMMUSIM_FIELD(PIE, 187, 1)
    IOMMUSIM_FIELD(HWU159, 188, 1)
    IOMMUSIM_FIELD(HWU160, 189, 1)
    IOMMUSIM_FIELD(HWU161, 190, 1)  // when D128 == 0
    IOMMUSIM_FIELD(HWU162, 191, 1)  // when D128 == 0
    IOMMUSIM_FIELD(SKL1, 190, 2)    // when D128 == 1

    // ---- Words 3-5 ----
    IOMMUSIM_FIELD(MAIR0, 192, 32)   // MAIR[31:0]
    IOMMUSIM_FIELD(MAIR1, 224, 32)   // MAIR[63:32]
    IOMMUSIM_FIELD(AMAIR0, 256, 32)
    IOMMUSIM_FIELD(AMAIR1, 288, 32)
    IOMMUSIM_FIELD(IMPDEF, 320, 32)  // IMPLEMENTATION DEFINED
    IOMMUSIM_FIELD(PARTID, 352, 16)
    IOMMUSIM_FIELD(PMG, 368, 8)

    // ---- Words 6-7 (stage 1 permission indirection) ----
    IOMMUSIM_FIELD(PIIU, 384, 48)  // 16 x 3-bit unprivileged interpretations
    IOMMUSIM_FIELD(PIIP, 448, 48)  // 16 x 3-bit privileged interpretations

    // ---- Helpers ----
    // TTB0 starts at absolute bit 68 = 64 + 4: it holds address bits [51:4].
    static constexpr unsigned kTtb0AddrShift = TTB0_lsb - 64;
    static constexpr unsigned kTtb1AddrShift = TTB1_lsb - 128;
    uint64_t ttb0_addr() const { return TTB0() << kTtb0AddrShift; }
    void set_ttb0_addr(uint64_t a) { set_TTB0(a >> kTtb0AddrShift); }
    uint64_t ttb1_addr() const { return TTB1() << kTtb1AddrShift; }
    void set_ttb1_addr(uint64_t a) { set_TTB1(a >> kTtb1AddrShift); }
    // {MAIR1, MAIR0} / {AMAIR1, AMAIR0} as 64-bit registers.
    uint64_t mair() const { return MAIR0() | (MAIR1() << MAIR0_width); }
    void set_mair(uint64_t m) { set_MAIR0(m); set_MAIR1(m >> MAIR0_width); }
    uint64_t amair() const { return AMAIR0() | (AMAIR1() << AMAIR0_width); }
    void set_amair(uint64_t m) { set_AMAIR0(m); set_AMAIR1(m >> AMAIR0_width); }
};
static_assert(sizeof(Cd) == 64, "CD is 64 bytes");

// 8-byte Level 1 Context Descriptor.
struct L1Cd {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(V, 0, 1)
    IOMMUSIM_REG_FIELD(L2Ptr, 12, 40)  // PA/IPA[51:12] of the level-2 CD table
    uint64_t l2ptr_addr() const { return L2Ptr() << L2Ptr_lsb; }
    void set_l2ptr_addr(uint64_t a) { set_L2Ptr(a >> L2Ptr_lsb); }
};
static_assert(sizeof(L1Cd) == 8, "L1CD is 8 bytes");

}  // namespace iommusim::smmuv3
