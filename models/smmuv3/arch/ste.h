// Arm SMMUv3 Stream Table Entry and Level 1 Stream Table Descriptor.
//
// IHI 0070 §5.2 "STE, Stream Table Entry" and §5.1 "L1STD, Level 1 Stream
// Table Descriptor". Bit positions are absolute within the structure, as the
// specification numbers them (STE.S2VMID is [143:128]).
//
// Address width: physical/intermediate addresses of up to 52 bits
// (SMMUv3.1-v3.3). Issues of IHI 0070 that describe SMMUv3.4 widen the
// pointers to bit 55 (S1ContextPtr [55:6], S2TTB [247:196] for VMSAv9-128,
// L1STD.L2Ptr [55:6]); those extra bits are RES0 below v3.4 and deliberately
// outside the fields here.
//
// Cross-checked against: the IHI 0070 STE pages, Linux arm-smmu-v3.h
// (STRTAB_STE_*), gem5 smmu_v3_defs.hh (StreamTableEntry), FreeBSD smmureg.h
// (STE*_), QEMU smmuv3-internal.h (STE_*). Fields newer than SMMUv3.1 (v3.2
// MPAM/FWB, v3.3 PIE/DPT/MEC, v3.4 THE/POE) come from the IHI 0070 pages alone.
#pragma once

#include <cstdint>

#include "models/common/bits.h"

namespace iommusim::smmuv3 {

// STE.Config (§5.2).
inline constexpr uint64_t STE_CONFIG_ABORT = 0b000;     // 0b0xx: abort, no event
inline constexpr uint64_t STE_CONFIG_BYPASS = 0b100;    // S1 bypass, S2 bypass
inline constexpr uint64_t STE_CONFIG_S1_TRANS = 0b101;  // S1 translate, S2 bypass
inline constexpr uint64_t STE_CONFIG_S2_TRANS = 0b110;  // S1 bypass, S2 translate
inline constexpr uint64_t STE_CONFIG_NESTED = 0b111;    // S1 and S2 translate

// STE.S1Fmt.
inline constexpr uint64_t S1FMT_LINEAR = 0b00;
inline constexpr uint64_t S1FMT_4K_L2 = 0b01;   // 2-level, 4KB leaf tables of 64 CDs
inline constexpr uint64_t S1FMT_64K_L2 = 0b10;  // 2-level, 64KB leaf tables of 1024 CDs

// STE.S1DSS (behaviour of transactions without a SubstreamID when S1CDMax != 0).
inline constexpr uint64_t S1DSS_TERMINATE = 0b00;
inline constexpr uint64_t S1DSS_BYPASS = 0b01;
inline constexpr uint64_t S1DSS_SUBSTREAM0 = 0b10;

// STE.EATS.
inline constexpr uint64_t EATS_ABT = 0b00;
inline constexpr uint64_t EATS_FULL = 0b01;   // Linux: EATS_TRANS
inline constexpr uint64_t EATS_SPLIT = 0b10;  // Linux: EATS_S1CHK
inline constexpr uint64_t EATS_FULL_DPT = 0b11;

// STE.STRW (Non-secure table: 0b00 NS-EL1, 0b10 NS-EL2(-E2H); 0b01 is EL3,
// Secure table only).
inline constexpr uint64_t STRW_EL1 = 0b00;
inline constexpr uint64_t STRW_EL3 = 0b01;
inline constexpr uint64_t STRW_EL2 = 0b10;

// STE.SHCFG (also GBPA.SHCFG).
inline constexpr uint64_t SHCFG_NSH = 0b00;
inline constexpr uint64_t SHCFG_INCOMING = 0b01;
inline constexpr uint64_t SHCFG_OSH = 0b10;
inline constexpr uint64_t SHCFG_ISH = 0b11;

// STE.S2TG (same encoding as CD.TG0).
inline constexpr uint64_t S2TG_4K = 0b00;
inline constexpr uint64_t S2TG_64K = 0b01;
inline constexpr uint64_t S2TG_16K = 0b10;

// 64-byte Stream Table Entry.
struct Ste {
    uint64_t dw[8] = {};

    // ---- Word 0 ----
    IOMMUSIM_FIELD(V, 0, 1)
    IOMMUSIM_FIELD(Config, 1, 3)
    IOMMUSIM_FIELD(S1Fmt, 4, 2)
    IOMMUSIM_FIELD(S1ContextPtr, 6, 46)  // PA/IPA[51:6] of the CD (table)
    IOMMUSIM_FIELD(S1CDMax, 59, 5)

    // ---- Word 1 ----
    IOMMUSIM_FIELD(S1DSS, 64, 2)
    IOMMUSIM_FIELD(S1CIR, 66, 2)
    IOMMUSIM_FIELD(S1COR, 68, 2)
    IOMMUSIM_FIELD(S1CSH, 70, 2)
    IOMMUSIM_FIELD(S2HWU59, 72, 1)
    IOMMUSIM_FIELD(S2HWU60, 73, 1)
    IOMMUSIM_FIELD(S2HWU61, 74, 1)
    IOMMUSIM_FIELD(S2HWU62, 75, 1)
    IOMMUSIM_FIELD(DRE, 76, 1)
    IOMMUSIM_FIELD(CONT, 77, 4)
    IOMMUSIM_FIELD(DCP, 81, 1)
    IOMMUSIM_FIELD(PPAR, 82, 1)
    IOMMUSIM_FIELD(MEV, 83, 1)
    IOMMUSIM_FIELD(SW_RESERVED, 84, 4)
    IOMMUSIM_FIELD(S1PIE, 88, 1)
    IOMMUSIM_FIELD(S2FWB, 89, 1)
    IOMMUSIM_FIELD(S1MPAM, 90, 1)
    IOMMUSIM_FIELD(S1STALLD, 91, 1)
    IOMMUSIM_FIELD(EATS, 92, 2)
    IOMMUSIM_FIELD(STRW, 94, 2)
    IOMMUSIM_FIELD(MemAttr, 96, 4)
    IOMMUSIM_FIELD(MTCFG, 100, 1)
    IOMMUSIM_FIELD(ALLOCCFG, 101, 4)
    IOMMUSIM_FIELD(SHCFG, 108, 2)
    IOMMUSIM_FIELD(NSCFG, 110, 2)
    IOMMUSIM_FIELD(PRIVCFG, 112, 2)
    IOMMUSIM_FIELD(INSTCFG, 114, 2)
    // [127:116] IMPLEMENTATION DEFINED.

    // ---- Word 2 ----
    IOMMUSIM_FIELD(S2VMID, 128, 16)
    // [159:144] IMPLEMENTATION DEFINED.
    IOMMUSIM_FIELD(S2T0SZ, 160, 6)
    IOMMUSIM_FIELD(S2SL0, 166, 2)
    IOMMUSIM_FIELD(S2IR0, 168, 2)
    IOMMUSIM_FIELD(S2OR0, 170, 2)
    IOMMUSIM_FIELD(S2SH0, 172, 2)
    IOMMUSIM_FIELD(S2TG, 174, 2)
    IOMMUSIM_FIELD(S2PS, 176, 3)
    IOMMUSIM_FIELD(S2AA64, 179, 1)
    IOMMUSIM_FIELD(S2ENDI, 180, 1)
    IOMMUSIM_FIELD(S2AFFD, 181, 1)
    IOMMUSIM_FIELD(S2PTW, 182, 1)
    IOMMUSIM_FIELD(S2HD, 183, 1)
    IOMMUSIM_FIELD(S2HA, 184, 1)
    IOMMUSIM_FIELD(S2S, 185, 1)
    IOMMUSIM_FIELD(S2R, 186, 1)
    IOMMUSIM_FIELD(S2HAFT, 187, 1)
    IOMMUSIM_FIELD(S2PIE, 188, 1)
    IOMMUSIM_FIELD(S2POE, 189, 1)
    IOMMUSIM_FIELD(DPT_VMATCH, 190, 2)

    // ---- Word 3 ----
    IOMMUSIM_FIELD(S2NSW, 192, 1)  // Secure STE only
    IOMMUSIM_FIELD(S2NSA, 193, 1)  // Secure STE only
    IOMMUSIM_FIELD(S2SL0_2, 194, 1)
    IOMMUSIM_FIELD(S2DS, 195, 1)
    IOMMUSIM_FIELD(S2TTB, 196, 48)  // PA[51:4] of the stage 2 table
    IOMMUSIM_FIELD(S2SKL, 253, 2)   // VMSAv9-128 only

    // ---- Words 4-5 ----
    // [271:256] IMPLEMENTATION DEFINED.
    IOMMUSIM_FIELD(PARTID, 272, 16)
    IOMMUSIM_FIELD(S_S2T0SZ, 288, 6)  // Secure STE only
    IOMMUSIM_FIELD(S_S2SL0, 294, 2)   // Secure STE only
    IOMMUSIM_FIELD(S_S2TG, 302, 2)    // Secure STE only
    IOMMUSIM_FIELD(MECID, 304, 16)    // Realm STE only
    IOMMUSIM_FIELD(PMG, 320, 8)
    IOMMUSIM_FIELD(MPAM_NS, 328, 1)
    IOMMUSIM_FIELD(AssuredOnly, 329, 1)
    IOMMUSIM_FIELD(TL0, 330, 1)
    IOMMUSIM_FIELD(TL1, 331, 1)
    // VMSPtr is [375:332] (PA[55:12]) in the v3.4 spec; PA[51:12] here.
    IOMMUSIM_FIELD(VMSPtr, 332, 40)

    // ---- Words 6-7 (Secure stage 2; S2POI) ----
    IOMMUSIM_FIELD(S2SW, 384, 1)
    IOMMUSIM_FIELD(S2SA, 385, 1)
    IOMMUSIM_FIELD(S_S2SL0_2, 386, 1)
    IOMMUSIM_FIELD(S_S2TTB, 388, 48)  // PA[51:4]
    IOMMUSIM_FIELD(S_S2SKL, 445, 2)
    IOMMUSIM_FIELD(S2POI, 448, 64)  // 16 x 4-bit overlay interpretations

    // ---- Byte-address helpers for the pointer fields ----
    uint64_t s1_context_ptr_addr() const { return S1ContextPtr() << S1ContextPtr_lsb; }
    void set_s1_context_ptr_addr(uint64_t a) { set_S1ContextPtr(a >> S1ContextPtr_lsb); }
    // S2TTB starts at absolute bit 196 = 192 + 4: it holds address bits [51:4].
    static constexpr unsigned kS2TtbAddrShift = S2TTB_lsb - 192;
    uint64_t s2ttb_addr() const { return S2TTB() << kS2TtbAddrShift; }
    void set_s2ttb_addr(uint64_t a) { set_S2TTB(a >> kS2TtbAddrShift); }
    static constexpr unsigned kSS2TtbAddrShift = S_S2TTB_lsb - 384;
    uint64_t s_s2ttb_addr() const { return S_S2TTB() << kSS2TtbAddrShift; }
    void set_s_s2ttb_addr(uint64_t a) { set_S_S2TTB(a >> kSS2TtbAddrShift); }
    static constexpr unsigned kVmsPtrAddrShift = 12;
    uint64_t vms_ptr_addr() const { return VMSPtr() << kVmsPtrAddrShift; }
    void set_vms_ptr_addr(uint64_t a) { set_VMSPtr(a >> kVmsPtrAddrShift); }

    // STE.Config decode (V == 1 and stage enabled).
    bool s1_enabled() const { return V() && (Config() == STE_CONFIG_S1_TRANS || Config() == STE_CONFIG_NESTED); }
    bool s2_enabled() const { return V() && (Config() == STE_CONFIG_S2_TRANS || Config() == STE_CONFIG_NESTED); }
};
static_assert(sizeof(Ste) == 64, "STE is 64 bytes");

// 8-byte Level 1 Stream Table Descriptor.
struct L1Std {
    uint64_t value = 0;
    // Span 0: invalid; 1..11: level-2 array of 2^(Span-1) STEs; 12..31 reserved.
    // (The spec spells it "Span"; Linux STRTAB_L1_DESC_SPAN.)
    IOMMUSIM_REG_FIELD(Span, 0, 5)
    IOMMUSIM_REG_FIELD(L2Ptr, 6, 46)  // PA[51:6] of the level-2 array
    uint64_t l2ptr_addr() const { return L2Ptr() << L2Ptr_lsb; }
    void set_l2ptr_addr(uint64_t a) { set_L2Ptr(a >> L2Ptr_lsb); }
};
static_assert(sizeof(L1Std) == 8, "L1STD is 8 bytes");

}  // namespace iommusim::smmuv3
