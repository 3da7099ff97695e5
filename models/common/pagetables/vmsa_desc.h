// AArch64 VMSAv8-64 translation-table descriptor fields (Arm ARM D8,
// "VMSAv8-64 translation table format descriptors"), as used by an Arm SMMUv3
// for stage 1 and stage 2 (IHI 0070 §3.4).
//
// This is the only place that knows descriptor bit positions: the walker
// (vmsa.cpp) and the table builder (vmsa_builder.cpp) go through these
// accessors.
//
// A descriptor is one little-endian 64-bit word:
//
//   bits[1:0]  type: x0 invalid, 01 block (levels 1-2 only), 11 table (levels
//              0-2) or page (level 3); 01 at level 3 is reserved (invalid).
//
//   Table descriptor (levels 0-2):
//     [47:G]   next-level table address (G = granule shift; bits [G-1:12] of
//              16K/64K tables are RES0 and ignored)
//     [15:12]  64K granule with a 52-bit output size: table address [51:48]
//     [59]     PXNTable                                  (stage 1 only;
//     [60]     XNTable (UXNTable in two-privilege regimes)  ignored by
//     [62:61]  APTable                                    stage 2)
//     [63]     NSTable
//
//   Block / page descriptor (output address in bits [47:n], n = log2 of the
//   bytes mapped; with 64K granule and a 52-bit output size, OA[51:48] in
//   bits [15:12]):
//     [4:2]  AttrIndx (stage 1)        [5:2]  MemAttr (stage 2)
//     [5]    NS (stage 1)
//     [7:6]  AP[2:1] (stage 1)         [7:6]  S2AP[1:0] (stage 2)
//     [9:8]  SH     [10] AF     [11] nG (stage 1)
//     [51]   DBM    [52] Contiguous
//     [53]   PXN (stage 1)             [54:53] XN[1:0] (stage 2, FEAT_XNX)
//     [54]   UXN / XN (stage 1)
#pragma once

#include <cstdint>

#include "models/common/bits.h"

namespace iommusim::vmsa {

struct VmsaDesc {
    uint64_t value = 0;

    // ---- Type ----
    IOMMUSIM_REG_FIELD(valid, 0, 1)
    IOMMUSIM_REG_FIELD(type, 0, 2)

    static constexpr uint64_t kTypeBlock = 0b01;
    static constexpr uint64_t kTypeTable = 0b11;  // levels 0-2
    static constexpr uint64_t kTypePage = 0b11;   // level 3

    // ---- Lower attributes of block and page descriptors ----
    IOMMUSIM_REG_FIELD(AttrIndx, 2, 3)  // stage 1: MAIR index
    IOMMUSIM_REG_FIELD(MemAttr, 2, 4)   // stage 2: memory attributes
    IOMMUSIM_REG_FIELD(NS, 5, 1)        // stage 1: non-secure output
    IOMMUSIM_REG_FIELD(AP, 6, 2)        // stage 1: AP[2:1]; AP[2]=read-only, AP[1]=EL0 access
    IOMMUSIM_REG_FIELD(S2AP, 6, 2)      // stage 2: S2AP[1]=write, S2AP[0]=read
    IOMMUSIM_REG_FIELD(SH, 8, 2)        // shareability
    IOMMUSIM_REG_FIELD(AF, 10, 1)       // access flag
    IOMMUSIM_REG_FIELD(nG, 11, 1)       // stage 1: not global (ASID-tagged)

    // ---- Upper attributes of block and page descriptors ----
    IOMMUSIM_REG_FIELD(DBM, 51, 1)         // dirty bit modifier
    IOMMUSIM_REG_FIELD(Contiguous, 52, 1)  // contiguous hint
    IOMMUSIM_REG_FIELD(PXN, 53, 1)         // stage 1: privileged execute-never
    IOMMUSIM_REG_FIELD(UXN, 54, 1)         // stage 1: unprivileged execute-never
    IOMMUSIM_REG_FIELD(XN, 54, 1)          // stage 1, single-privilege regimes: same bit as UXN
    IOMMUSIM_REG_FIELD(S2XN, 53, 2)        // stage 2: XN[1:0] (XN[0] is bit 53, FEAT_XNX)

    // ---- Table descriptor attributes (stage 1) ----
    IOMMUSIM_REG_FIELD(PXNTable, 59, 1)
    IOMMUSIM_REG_FIELD(XNTable, 60, 1)
    IOMMUSIM_REG_FIELD(UXNTable, 60, 1)  // same bit as XNTable
    IOMMUSIM_REG_FIELD(APTable, 61, 2)   // APTable[1] (bit 62): no write; APTable[0] (bit 61): no EL0 access
    IOMMUSIM_REG_FIELD(NSTable, 63, 1)

    // ---- Addresses ----
    // Address bits [47:12] (table address or output address, before masking to
    // the granule / block size).
    IOMMUSIM_REG_FIELD(addr_47_12, 12, 36)
    // 64K granule with a 52-bit output size (FEAT_LPA): address bits [51:48].
    IOMMUSIM_REG_FIELD(addr_51_48, 12, 4)

    static constexpr unsigned kAddrTop = 47;  // highest address bit without FEAT_LPA

    // The address held in the descriptor: bits [47:lsb] (lsb >= 16 when
    // `lpa64k`), plus bits [51:48] from descriptor bits [15:12] when `lpa64k`
    // (64K granule, 52-bit output size).
    uint64_t address(unsigned lsb, bool lpa64k) const {
        uint64_t a = value & (::iommusim::bits::mask(kAddrTop + 1) & ~::iommusim::bits::mask(lsb));
        if (lpa64k) a |= addr_51_48() << 48;
        return a;
    }
    // Writes an address (aligned as the caller requires): bits [47:12] in
    // place and, when `lpa64k`, bits [51:48] into descriptor bits [15:12].
    void set_address(uint64_t a, bool lpa64k) {
        set_addr_47_12(a >> 12);
        if (lpa64k) set_addr_51_48(a >> 48);
    }
    // Bits [15:12] hold address bits [51:48] in 64K-granule descriptors; when
    // the output size is below 52 bits they must be zero (else AddressSize).
    bool lpa_bits_nonzero() const { return addr_51_48() != 0; }

    bool is_valid() const { return valid() != 0; }
    // Table descriptor (meaningful at levels 0-2 only).
    bool is_table_type() const { return type() == kTypeTable; }
    bool is_block_type() const { return type() == kTypeBlock; }

    static VmsaDesc make_table(uint64_t table_addr, bool lpa64k) {
        VmsaDesc d;
        d.set_address(table_addr, lpa64k);
        d.set_type(kTypeTable);
        return d;
    }
};

}  // namespace iommusim::vmsa
