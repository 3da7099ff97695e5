// Arm SMMUv3 programming interface: register offsets and register layouts.
//
// IHI 0070 §6.2 "Register overview" (offsets) and §6.3 "Register formats"
// (SMMU_IDR0 §6.3.1 ... SMMU_EVENTQ_IRQ_CFG2), Non-secure programming
// interface only (no SMMU_S_*, SMMU_R_*, ECMDQ, PMCG, RAS or ATOS registers).
//
// Address width: this model implements physical addresses of up to 52 bits
// (SMMUv3.1-v3.3). Newer issues of IHI 0070 widen the ADDR fields to bit 55
// for SMMUv3.4 / VMSAv9-128 (for example STRTAB_BASE.ADDR is [55:6]); bits
// [55:52] are RES0 below SMMUv3.4 and are deliberately not part of any field
// here, so a model that checks RES0 bits rejects them.
//
// Sources cross-checked for every field: the IHI 0070 register pages, Linux
// drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h, QEMU hw/arm/smmuv3-internal.h,
// gem5 src/dev/arm/smmu_v3_defs.hh and FreeBSD sys/arm64/iommu/smmureg.h.
// Disagreements are noted next to the field concerned.
#pragma once

#include <cstdint>

#include "models/common/bits.h"

namespace iommusim::smmuv3 {

// ---------------------------------------------------------------------------
// Register offsets (bytes from the start of SMMU register page 0). Page 1
// starts at +64KB; SMMU_EVENTQ_PROD/CONS and SMMU_PRIQ_PROD/CONS live there.
// Note: Linux names these 0xa8/0xac etc. because it adds the page-1 base
// separately; the architected offsets from page 0 are 0x100A8 etc.
// ---------------------------------------------------------------------------
namespace reg {
inline constexpr uint32_t PAGE1_OFFSET = 0x10000;

inline constexpr uint32_t SMMU_IDR0 = 0x0000;
inline constexpr uint32_t SMMU_IDR1 = 0x0004;
inline constexpr uint32_t SMMU_IDR2 = 0x0008;
inline constexpr uint32_t SMMU_IDR3 = 0x000C;
inline constexpr uint32_t SMMU_IDR4 = 0x0010;
inline constexpr uint32_t SMMU_IDR5 = 0x0014;
// Old QEMU (pre-2020 smmuv3-internal.h) placed IIDR at 0x1C; the spec, Linux,
// gem5 and current QEMU have IIDR at 0x18 and AIDR at 0x1C.
inline constexpr uint32_t SMMU_IIDR = 0x0018;
inline constexpr uint32_t SMMU_AIDR = 0x001C;
inline constexpr uint32_t SMMU_CR0 = 0x0020;
inline constexpr uint32_t SMMU_CR0ACK = 0x0024;
inline constexpr uint32_t SMMU_CR1 = 0x0028;
inline constexpr uint32_t SMMU_CR2 = 0x002C;
inline constexpr uint32_t SMMU_STATUSR = 0x0040;
inline constexpr uint32_t SMMU_GBPA = 0x0044;
inline constexpr uint32_t SMMU_AGBPA = 0x0048;
inline constexpr uint32_t SMMU_IRQ_CTRL = 0x0050;
inline constexpr uint32_t SMMU_IRQ_CTRLACK = 0x0054;
inline constexpr uint32_t SMMU_GERROR = 0x0060;
inline constexpr uint32_t SMMU_GERRORN = 0x0064;
inline constexpr uint32_t SMMU_GERROR_IRQ_CFG0 = 0x0068;  // 64-bit
inline constexpr uint32_t SMMU_GERROR_IRQ_CFG1 = 0x0070;
inline constexpr uint32_t SMMU_GERROR_IRQ_CFG2 = 0x0074;
inline constexpr uint32_t SMMU_STRTAB_BASE = 0x0080;  // 64-bit
inline constexpr uint32_t SMMU_STRTAB_BASE_CFG = 0x0088;
inline constexpr uint32_t SMMU_CMDQ_BASE = 0x0090;  // 64-bit
inline constexpr uint32_t SMMU_CMDQ_PROD = 0x0098;
inline constexpr uint32_t SMMU_CMDQ_CONS = 0x009C;
inline constexpr uint32_t SMMU_EVENTQ_BASE = 0x00A0;  // 64-bit
inline constexpr uint32_t SMMU_EVENTQ_PROD = PAGE1_OFFSET + 0x00A8;  // 0x100A8
inline constexpr uint32_t SMMU_EVENTQ_CONS = PAGE1_OFFSET + 0x00AC;  // 0x100AC
inline constexpr uint32_t SMMU_EVENTQ_IRQ_CFG0 = 0x00B0;  // 64-bit
inline constexpr uint32_t SMMU_EVENTQ_IRQ_CFG1 = 0x00B8;
inline constexpr uint32_t SMMU_EVENTQ_IRQ_CFG2 = 0x00BC;
inline constexpr uint32_t SMMU_PRIQ_BASE = 0x00C0;  // 64-bit
inline constexpr uint32_t SMMU_PRIQ_PROD = PAGE1_OFFSET + 0x00C8;  // 0x100C8
inline constexpr uint32_t SMMU_PRIQ_CONS = PAGE1_OFFSET + 0x00CC;  // 0x100CC
inline constexpr uint32_t SMMU_PRIQ_IRQ_CFG0 = 0x00D0;  // 64-bit
inline constexpr uint32_t SMMU_PRIQ_IRQ_CFG1 = 0x00D8;
inline constexpr uint32_t SMMU_PRIQ_IRQ_CFG2 = 0x00DC;
}  // namespace reg

// ---------------------------------------------------------------------------
// Architected encodings used with the registers.
// ---------------------------------------------------------------------------

// SMMU_CMDQ_CONS.ERR reason codes (IHI 0070 §7.1).
inline constexpr uint64_t CERROR_NONE = 0x00;
inline constexpr uint64_t CERROR_ILL = 0x01;
inline constexpr uint64_t CERROR_ABT = 0x02;
inline constexpr uint64_t CERROR_ATC_INV_SYNC = 0x03;

// SMMU_STRTAB_BASE_CFG.FMT.
inline constexpr uint64_t STRTAB_FMT_LINEAR = 0b00;
inline constexpr uint64_t STRTAB_FMT_2LEVEL = 0b01;

// SMMU_IDR5.OAS (same encoding as CD.IPS and STE.S2PS).
inline constexpr uint64_t OAS_32BIT = 0b000;
inline constexpr uint64_t OAS_36BIT = 0b001;
inline constexpr uint64_t OAS_40BIT = 0b010;
inline constexpr uint64_t OAS_42BIT = 0b011;
inline constexpr uint64_t OAS_44BIT = 0b100;
inline constexpr uint64_t OAS_48BIT = 0b101;
inline constexpr uint64_t OAS_52BIT = 0b110;  // SMMUv3.1+; Reserved in SMMUv3.0
inline constexpr uint64_t OAS_56BIT = 0b111;  // SMMUv3.4+ (D128); Reserved before

// Number of address bits for an OAS/IPS/S2PS encoding (0 if not a valid size).
constexpr unsigned oas_bits(uint64_t enc) {
    switch (enc) {
        case OAS_32BIT: return 32;
        case OAS_36BIT: return 36;
        case OAS_40BIT: return 40;
        case OAS_42BIT: return 42;
        case OAS_44BIT: return 44;
        case OAS_48BIT: return 48;
        case OAS_52BIT: return 52;
        case OAS_56BIT: return 56;
        default: return 0;
    }
}

// The OAS/IPS/S2PS encoding of an address size in bits (sizes without an
// encoding round up to 52).
constexpr uint64_t oas_encoding(unsigned bits) {
    return bits <= 32 ? OAS_32BIT : bits <= 36 ? OAS_36BIT : bits <= 40 ? OAS_40BIT : bits <= 42 ? OAS_42BIT
         : bits <= 44 ? OAS_44BIT : bits <= 48 ? OAS_48BIT : OAS_52BIT;
}

// SMMU_IDR0.ST_LEVEL, STALL_MODEL, TTF, TTENDIAN, HTTU.
inline constexpr uint64_t IDR0_ST_LEVEL_LINEAR = 0b00;
inline constexpr uint64_t IDR0_ST_LEVEL_2LVL = 0b01;
inline constexpr uint64_t IDR0_STALL_MODEL_STALL_TERM = 0b00;  // both supported
inline constexpr uint64_t IDR0_STALL_MODEL_TERM_ONLY = 0b01;
inline constexpr uint64_t IDR0_STALL_MODEL_STALL_FORCED = 0b10;
inline constexpr uint64_t IDR0_TTF_AARCH32 = 0b01;
inline constexpr uint64_t IDR0_TTF_AARCH64 = 0b10;
inline constexpr uint64_t IDR0_TTF_AARCH32_64 = 0b11;
inline constexpr uint64_t IDR0_TTENDIAN_MIXED = 0b00;
inline constexpr uint64_t IDR0_TTENDIAN_LE = 0b10;
inline constexpr uint64_t IDR0_TTENDIAN_BE = 0b11;
inline constexpr uint64_t IDR0_HTTU_NONE = 0b00;
inline constexpr uint64_t IDR0_HTTU_ACCESS = 0b01;
inline constexpr uint64_t IDR0_HTTU_ACCESS_DIRTY = 0b10;
inline constexpr uint64_t IDR0_HTTU_ACCESS_DIRTY_TABLE_AF = 0b11;

// SMMU_CR1 cacheability (QUEUE_IC/OC, TABLE_IC/OC) and shareability
// (QUEUE_SH, TABLE_SH; also IRQ_CFG2.SH).
inline constexpr uint64_t CR1_CACHE_NC = 0b00;
inline constexpr uint64_t CR1_CACHE_WB = 0b01;
inline constexpr uint64_t CR1_CACHE_WT = 0b10;
inline constexpr uint64_t SH_NSH = 0b00;
inline constexpr uint64_t SH_OSH = 0b10;
inline constexpr uint64_t SH_ISH = 0b11;

// ---------------------------------------------------------------------------
// Register layouts. 32-bit registers use bits [31:0] of `value`.
// ---------------------------------------------------------------------------

// SMMU_IDR0 (§6.3.1).
struct Idr0 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(S2P, 0, 1)
    IOMMUSIM_REG_FIELD(S1P, 1, 1)
    IOMMUSIM_REG_FIELD(TTF, 2, 2)
    IOMMUSIM_REG_FIELD(COHACC, 4, 1)
    IOMMUSIM_REG_FIELD(BTM, 5, 1)
    IOMMUSIM_REG_FIELD(HTTU, 6, 2)
    IOMMUSIM_REG_FIELD(DORMHINT, 8, 1)
    IOMMUSIM_REG_FIELD(Hyp, 9, 1)
    IOMMUSIM_REG_FIELD(ATS, 10, 1)
    IOMMUSIM_REG_FIELD(NS1ATS, 11, 1)
    IOMMUSIM_REG_FIELD(ASID16, 12, 1)
    IOMMUSIM_REG_FIELD(MSI, 13, 1)
    IOMMUSIM_REG_FIELD(SEV, 14, 1)
    IOMMUSIM_REG_FIELD(ATOS, 15, 1)
    IOMMUSIM_REG_FIELD(PRI, 16, 1)
    IOMMUSIM_REG_FIELD(VMW, 17, 1)
    IOMMUSIM_REG_FIELD(VMID16, 18, 1)
    IOMMUSIM_REG_FIELD(CD2L, 19, 1)
    IOMMUSIM_REG_FIELD(VATOS, 20, 1)
    IOMMUSIM_REG_FIELD(TTENDIAN, 21, 2)
    IOMMUSIM_REG_FIELD(ATSRECERR, 23, 1)
    IOMMUSIM_REG_FIELD(STALL_MODEL, 24, 2)
    IOMMUSIM_REG_FIELD(TERM_MODEL, 26, 1)
    IOMMUSIM_REG_FIELD(ST_LEVEL, 27, 2)  // QEMU spells it STLEVEL
    IOMMUSIM_REG_FIELD(RME_IMPL, 30, 1)  // SMMUv3.3 RME DA
};

// SMMU_IDR1 (§6.3.2).
struct Idr1 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(SIDSIZE, 0, 6)
    IOMMUSIM_REG_FIELD(SSIDSIZE, 6, 5)
    IOMMUSIM_REG_FIELD(PRIQS, 11, 5)
    IOMMUSIM_REG_FIELD(EVENTQS, 16, 5)
    IOMMUSIM_REG_FIELD(CMDQS, 21, 5)
    IOMMUSIM_REG_FIELD(ATTR_PERMS_OVR, 26, 1)
    IOMMUSIM_REG_FIELD(ATTR_TYPES_OVR, 27, 1)
    IOMMUSIM_REG_FIELD(REL, 28, 1)
    IOMMUSIM_REG_FIELD(QUEUES_PRESET, 29, 1)
    IOMMUSIM_REG_FIELD(TABLES_PRESET, 30, 1)
    IOMMUSIM_REG_FIELD(ECMDQ, 31, 1)
};

// SMMU_IDR3 (§6.3.4).
struct Idr3 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(HAD, 2, 1)
    IOMMUSIM_REG_FIELD(PBHA, 3, 1)
    IOMMUSIM_REG_FIELD(XNX, 4, 1)
    IOMMUSIM_REG_FIELD(PPS, 5, 1)
    IOMMUSIM_REG_FIELD(MPAM, 7, 1)
    IOMMUSIM_REG_FIELD(FWB, 8, 1)
    IOMMUSIM_REG_FIELD(STT, 9, 1)
    IOMMUSIM_REG_FIELD(RIL, 10, 1)
    IOMMUSIM_REG_FIELD(BBML, 11, 2)
    IOMMUSIM_REG_FIELD(E0PD, 13, 1)
    IOMMUSIM_REG_FIELD(PTWNNC, 14, 1)
    IOMMUSIM_REG_FIELD(DPT, 15, 1)
    IOMMUSIM_REG_FIELD(PASIDTT, 16, 1)
    IOMMUSIM_REG_FIELD(EPAN, 17, 1)
    IOMMUSIM_REG_FIELD(S1PI, 18, 1)
    IOMMUSIM_REG_FIELD(S2PI, 19, 1)
    IOMMUSIM_REG_FIELD(S2PO, 20, 1)
    IOMMUSIM_REG_FIELD(THE, 21, 1)
    IOMMUSIM_REG_FIELD(MTEPERM, 22, 1)
    IOMMUSIM_REG_FIELD(AIE, 23, 1)
};

// SMMU_IDR5 (§6.3.6).
struct Idr5 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(OAS, 0, 3)
    IOMMUSIM_REG_FIELD(GRAN4K, 4, 1)
    IOMMUSIM_REG_FIELD(GRAN16K, 5, 1)
    IOMMUSIM_REG_FIELD(GRAN64K, 6, 1)
    IOMMUSIM_REG_FIELD(DS, 7, 1)
    IOMMUSIM_REG_FIELD(D128, 8, 1)
    IOMMUSIM_REG_FIELD(VAX, 10, 2)  // 0b00 48-bit VA, 0b01 52-bit, 0b10 56-bit
    IOMMUSIM_REG_FIELD(STALL_MAX, 16, 16)
};

// SMMU_IIDR (§6.3.7). Field positions from Linux (IIDR_*) only; the spec
// page was not cross-checked field by field.
struct Iidr {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(Implementer, 0, 12)
    IOMMUSIM_REG_FIELD(Revision, 12, 4)
    IOMMUSIM_REG_FIELD(Variant, 16, 4)
    IOMMUSIM_REG_FIELD(ProductID, 20, 12)
};

// SMMU_AIDR (§6.3.8). ArchMajorRev 0 = SMMUv3.x; ArchMinorRev 0..4 = v3.0..v3.4.
struct Aidr {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(ArchMinorRev, 0, 4)
    IOMMUSIM_REG_FIELD(ArchMajorRev, 4, 4)
};

// SMMU_CR0 (§6.3.9) and SMMU_CR0ACK (§6.3.10, same layout).
// QEMU calls SMMUEN "SMMU_ENABLE".
struct Cr0 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(SMMUEN, 0, 1)
    IOMMUSIM_REG_FIELD(PRIQEN, 1, 1)
    IOMMUSIM_REG_FIELD(EVENTQEN, 2, 1)
    IOMMUSIM_REG_FIELD(CMDQEN, 3, 1)
    IOMMUSIM_REG_FIELD(ATSCHK, 4, 1)
    IOMMUSIM_REG_FIELD(VMW, 6, 3)
    IOMMUSIM_REG_FIELD(DPT_WALK_EN, 10, 1)  // SMMUv3.3 DPT
};
using Cr0Ack = Cr0;

// SMMU_CR1 (§6.3.11): table and queue access attributes. Positions from
// Linux and FreeBSD (they agree).
struct Cr1 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(QUEUE_IC, 0, 2)
    IOMMUSIM_REG_FIELD(QUEUE_OC, 2, 2)
    IOMMUSIM_REG_FIELD(QUEUE_SH, 4, 2)
    IOMMUSIM_REG_FIELD(TABLE_IC, 6, 2)
    IOMMUSIM_REG_FIELD(TABLE_OC, 8, 2)
    IOMMUSIM_REG_FIELD(TABLE_SH, 10, 2)
};

// SMMU_CR2 (§6.3.12).
struct Cr2 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(E2H, 0, 1)
    IOMMUSIM_REG_FIELD(RECINVSID, 1, 1)
    IOMMUSIM_REG_FIELD(PTM, 2, 1)
    IOMMUSIM_REG_FIELD(REC_CFG_ATS, 3, 1)
};

// SMMU_STATUSR (§6.3.13).
struct Statusr {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(DORMANT, 0, 1)
};

// SMMU_GBPA (§6.3.14). The spec spells the top bit "Update".
struct Gbpa {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(MemAttr, 0, 4)
    IOMMUSIM_REG_FIELD(MTCFG, 4, 1)  // an Arm 2016 example header used bit 10: wrong
    IOMMUSIM_REG_FIELD(ALLOCCFG, 8, 4)
    IOMMUSIM_REG_FIELD(SHCFG, 12, 2)
    // NSCFG exists only in SMMU_S_GBPA; bits [15:14] are RES0 in SMMU_GBPA
    // (§6.3.14). The S_GBPA position was not cross-checked.
    IOMMUSIM_REG_FIELD(NSCFG, 14, 2)
    IOMMUSIM_REG_FIELD(PRIVCFG, 16, 2)
    IOMMUSIM_REG_FIELD(INSTCFG, 18, 2)
    IOMMUSIM_REG_FIELD(ABORT, 20, 1)
    IOMMUSIM_REG_FIELD(Update, 31, 1)
};

// SMMU_IRQ_CTRL (§6.3.16) and SMMU_IRQ_CTRLACK (§6.3.18, same layout).
struct IrqCtrl {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(GERROR_IRQEN, 0, 1)
    IOMMUSIM_REG_FIELD(PRIQ_IRQEN, 1, 1)
    IOMMUSIM_REG_FIELD(EVENTQ_IRQEN, 2, 1)
};
using IrqCtrlAck = IrqCtrl;

// SMMU_GERROR (§6.3.19) and SMMU_GERRORN (§6.3.20, same layout). The spec
// spells the event-queue bits EVENTQ_ABT_ERR / MSI_EVENTQ_ABT_ERR (Linux:
// EVTQ_ABT_ERR / MSI_EVTQ_ABT_ERR; QEMU calls SFM_ERR "MSI_SFM_ERR").
struct Gerror {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(CMDQ_ERR, 0, 1)
    IOMMUSIM_REG_FIELD(EVENTQ_ABT_ERR, 2, 1)
    IOMMUSIM_REG_FIELD(PRIQ_ABT_ERR, 3, 1)
    IOMMUSIM_REG_FIELD(MSI_CMDQ_ABT_ERR, 4, 1)
    IOMMUSIM_REG_FIELD(MSI_EVENTQ_ABT_ERR, 5, 1)
    IOMMUSIM_REG_FIELD(MSI_PRIQ_ABT_ERR, 6, 1)
    IOMMUSIM_REG_FIELD(MSI_GERROR_ABT_ERR, 7, 1)
    IOMMUSIM_REG_FIELD(SFM_ERR, 8, 1)
    IOMMUSIM_REG_FIELD(CMDQP_ERR, 9, 1)  // ECMDQ
    IOMMUSIM_REG_FIELD(DPT_ERR, 10, 1)   // DPT
};
using Gerrorn = Gerror;

// SMMU_{GERROR,EVENTQ,PRIQ}_IRQ_CFG0 (§6.3.21, §6.3.30): MSI address.
// ADDR holds PA[51:2].
struct IrqCfg0 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(ADDR, 2, 50)
    uint64_t addr() const { return ADDR() << ADDR_lsb; }
    void set_addr(uint64_t pa) { set_ADDR(pa >> ADDR_lsb); }
};

// SMMU_{GERROR,EVENTQ,PRIQ}_IRQ_CFG1 (§6.3.22): MSI payload.
struct IrqCfg1 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(DATA, 0, 32)
};

// SMMU_{GERROR,EVENTQ}_IRQ_CFG2 (§6.3.23): MSI attributes. (SMMU_PRIQ_IRQ_CFG2
// additionally has LO at bit [31]; not modelled.)
struct IrqCfg2 {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(MemAttr, 0, 4)
    IOMMUSIM_REG_FIELD(SH, 4, 2)
};

// SMMU_STRTAB_BASE (§6.3.24). ADDR holds PA[51:6]. Old gem5 and old QEMU masks
// (0xffffffffffe0) kept PA[47:5]; the spec, Linux, FreeBSD and current QEMU
// (0xfffffffffffc0) agree on [51:6].
struct StrtabBase {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(ADDR, 6, 46)
    IOMMUSIM_REG_FIELD(RA, 62, 1)
    uint64_t addr() const { return ADDR() << ADDR_lsb; }
    void set_addr(uint64_t pa) { set_ADDR(pa >> ADDR_lsb); }
};

// SMMU_STRTAB_BASE_CFG (§6.3.25).
struct StrtabBaseCfg {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(LOG2SIZE, 0, 6)
    IOMMUSIM_REG_FIELD(SPLIT, 6, 5)
    IOMMUSIM_REG_FIELD(FMT, 16, 2)
};

// SMMU_CMDQ_BASE (§6.3.26). ADDR holds PA[51:5] (gem5 masks keep [47:5]).
struct CmdqBase {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(LOG2SIZE, 0, 5)
    IOMMUSIM_REG_FIELD(ADDR, 5, 47)
    IOMMUSIM_REG_FIELD(RA, 62, 1)
    uint64_t addr() const { return ADDR() << ADDR_lsb; }
    void set_addr(uint64_t pa) { set_ADDR(pa >> ADDR_lsb); }
};

// SMMU_EVENTQ_BASE (§6.3.29): as CMDQ_BASE but bit 62 is the Write-Allocate
// hint WA (Linux names the shared bit Q_BASE_RWA).
struct EventqBase {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(LOG2SIZE, 0, 5)
    IOMMUSIM_REG_FIELD(ADDR, 5, 47)
    IOMMUSIM_REG_FIELD(WA, 62, 1)
    uint64_t addr() const { return ADDR() << ADDR_lsb; }
    void set_addr(uint64_t pa) { set_ADDR(pa >> ADDR_lsb); }
};

// SMMU_CMDQ_PROD (§6.3.27). WR is an index of LOG2SIZE bits plus a wrap bit
// at [LOG2SIZE].
struct CmdqProd {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(WR, 0, 20)
};

// SMMU_CMDQ_CONS (§6.3.28).
struct CmdqCons {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(RD, 0, 20)
    IOMMUSIM_REG_FIELD(ERR, 24, 7)
};

// SMMU_EVENTQ_PROD (page 1, 0x100A8). OVFLG: Event queue overflow flag.
struct EventqProd {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(WR, 0, 20)
    IOMMUSIM_REG_FIELD(OVFLG, 31, 1)
};

// SMMU_EVENTQ_CONS (page 1, 0x100AC). OVACKFLG: overflow acknowledge flag.
struct EventqCons {
    uint64_t value = 0;
    IOMMUSIM_REG_FIELD(RD, 0, 20)
    IOMMUSIM_REG_FIELD(OVACKFLG, 31, 1)
};

}  // namespace iommusim::smmuv3
