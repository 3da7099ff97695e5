// Arm SMMUv3 Command queue entries.
//
// IHI 0070 Chapter 4 "Commands": §4.1 overview and opcodes, §4.2 prefetch,
// §4.3 configuration invalidation, §4.4 TLB invalidation, §4.5 ATC
// invalidation, §4.6 PRI, §4.7 fault response (RESUME / STALL_TERM), CMD_SYNC.
// A command is 16 bytes, two little-endian 64-bit words; bit positions here
// are absolute (bit 64 is bit 0 of the second word).
//
// The command layouts are figures in IHI 0070 and are not reproduced in the
// text of the copy that was consulted, so positions come from:
//   Linux arm-smmu-v3.h (CMDQ_*), QEMU smmuv3-internal.h (CMD_*), FreeBSD
//   smmureg.h (SYNC_*, CFGI_*, TLBI_*) and the IHI 0070 text (§4.4.1.1 gives
//   NUM [16:12], SCALE [25:20], TTL128 [71], TTL [73:72], TG [75:74]).
// Fields with only one source, or none, are marked below.
//
// Which fields each opcode defines (everything else in the 128 bits is RES0;
// IHI 0070 §4.1.5 lets an implementation report non-zero RES0 bits as a
// malformed command, CERROR_ILL; cmd_defined_bits() returns these sets):
//
//   opcode               word 0                                   word 1
//   PREFETCH_CONFIG      SSec SSV SubstreamID StreamID            -
//   PREFETCH_ADDR        SSec SSV SubstreamID StreamID            Size Stride Address
//   CFGI_STE             SSec StreamID                            Leaf
//   CFGI_STE_RANGE       SSec StreamID                            Range (31 = CFGI_ALL)
//   CFGI_CD              SSec SubstreamID StreamID                Leaf
//   CFGI_CD_ALL          SSec StreamID                            -
//   TLBI_NH_ALL          VMID                                     -
//   TLBI_NH_ASID         VMID ASID                                -
//   TLBI_NH_VA           NUM SCALE VMID ASID                      Leaf TTL128 TTL TG Address
//   TLBI_NH_VAA          NUM SCALE VMID                           Leaf TTL128 TTL TG Address
//   TLBI_EL3_ALL         -                                        -
//   TLBI_EL3_VA          NUM SCALE                                Leaf TTL128 TTL TG Address
//   TLBI_EL2_ALL         -                                        -
//   TLBI_EL2_ASID        ASID                                     -
//   TLBI_EL2_VA          NUM SCALE ASID                           Leaf TTL128 TTL TG Address
//   TLBI_EL2_VAA         NUM SCALE                                Leaf TTL128 TTL TG Address
//   TLBI_S12_VMALL       VMID                                     -
//   TLBI_S2_IPA          NUM SCALE VMID                           Leaf TTL128 TTL TG IPAddress
//   TLBI_NSNH_ALL        -                                        -
//   ATC_INV              Global SSV SubstreamID StreamID          ATCSize Address
//   PRI_RESP             SSV SubstreamID StreamID                 PRGIndex Resp
//   RESUME               SSec Ac Ab StreamID                      STAG
//   STALL_TERM           SSec StreamID                            -
//   SYNC                 CS MSH MSIAttr MSIData                   MSIAddress
// (Opcode [7:0] is defined for all.) Besides RES0 bits, these parameter values
// are ILLEGAL (CERROR_ILL) on the Non-secure Command queue: SSec == 1; TLBI
// range with TG != 0 and NUM == SCALE == TTL == 0 (§4.4.1.1); the EL3 TLBIs;
// the EL2 TLBIs when SMMU_IDR0.Hyp == 0; stage-1 TLBIs / CFGI_CD(_ALL) without
// stage 1; S2 TLBIs without stage 2. Also note: when SMMU_IDR0.VMID16/ASID16
// are 0, VMID[15:8]/ASID[15:8] are RES0; SCALE[5] is RES0 unless SMMU_IDR5.DS;
// NUM/SCALE/TTL/TG are RES0 unless SMMU_IDR3.RIL; Stride is RES0 in SMMUv3.0.
#pragma once

#include <cstdint>

#include "models/common/bits.h"

namespace iommusim::smmuv3 {

// ---- Opcodes (§4.1.1) ----
inline constexpr uint8_t CMD_PREFETCH_CONFIG = 0x01;
inline constexpr uint8_t CMD_PREFETCH_ADDR = 0x02;
inline constexpr uint8_t CMD_CFGI_STE = 0x03;
inline constexpr uint8_t CMD_CFGI_STE_RANGE = 0x04;
inline constexpr uint8_t CMD_CFGI_ALL = 0x04;  // CFGI_STE_RANGE with Range == 31
inline constexpr uint8_t CMD_CFGI_CD = 0x05;
inline constexpr uint8_t CMD_CFGI_CD_ALL = 0x06;
inline constexpr uint8_t CMD_CFGI_VMS_PIDM = 0x07;  // MPAM VMS; not encoded here
inline constexpr uint8_t CMD_TLBI_NH_ALL = 0x10;
inline constexpr uint8_t CMD_TLBI_NH_ASID = 0x11;
inline constexpr uint8_t CMD_TLBI_NH_VA = 0x12;
inline constexpr uint8_t CMD_TLBI_NH_VAA = 0x13;
inline constexpr uint8_t CMD_TLBI_EL3_ALL = 0x18;
inline constexpr uint8_t CMD_TLBI_EL3_VA = 0x1A;
inline constexpr uint8_t CMD_TLBI_EL2_ALL = 0x20;
inline constexpr uint8_t CMD_TLBI_EL2_ASID = 0x21;
inline constexpr uint8_t CMD_TLBI_EL2_VA = 0x22;
inline constexpr uint8_t CMD_TLBI_EL2_VAA = 0x23;
inline constexpr uint8_t CMD_TLBI_S12_VMALL = 0x28;
inline constexpr uint8_t CMD_TLBI_S2_IPA = 0x2A;
inline constexpr uint8_t CMD_TLBI_NSNH_ALL = 0x30;
inline constexpr uint8_t CMD_ATC_INV = 0x40;
inline constexpr uint8_t CMD_PRI_RESP = 0x41;
inline constexpr uint8_t CMD_RESUME = 0x44;
inline constexpr uint8_t CMD_STALL_TERM = 0x45;
inline constexpr uint8_t CMD_SYNC = 0x46;
// Secure Command queue only (CERROR_ILL on the Non-secure queue) and SMMUv3.3
// DPT; listed for completeness, their operands are not encoded here.
inline constexpr uint8_t CMD_TLBI_S_EL2_ALL = 0x50;
inline constexpr uint8_t CMD_TLBI_S_EL2_ASID = 0x51;
inline constexpr uint8_t CMD_TLBI_S_EL2_VA = 0x52;
inline constexpr uint8_t CMD_TLBI_S_EL2_VAA = 0x53;
inline constexpr uint8_t CMD_TLBI_S_S12_VMALL = 0x58;
inline constexpr uint8_t CMD_TLBI_S_S2_IPA = 0x5A;
inline constexpr uint8_t CMD_TLBI_SNH_ALL = 0x60;
inline constexpr uint8_t CMD_DPTI_ALL = 0x70;
inline constexpr uint8_t CMD_DPTI_PA = 0x73;

// CMD_CFGI_STE_RANGE.Range value that means "all StreamIDs" (CMD_CFGI_ALL).
inline constexpr uint64_t CFGI_RANGE_ALL = 31;

// CMD_SYNC.CS (completion signal).
inline constexpr uint64_t CS_SIG_NONE = 0b00;
inline constexpr uint64_t CS_SIG_IRQ = 0b01;  // IRQ, or MSI write when MSIAddress != 0
inline constexpr uint64_t CS_SIG_SEV = 0b10;
// CMD_SYNC.MSIAttr value used by Linux: Normal Inner/Outer Write-Back.
inline constexpr uint64_t MSIATTR_OIWB = 0xF;
inline constexpr uint64_t MSIATTR_DEVICE_nGnRE = 0x1;

// TLBI TG (range / TTL granule; §4.4.1.1). 0 = any granule, no range.
inline constexpr uint64_t TLBI_TG_NONE = 0b00;
inline constexpr uint64_t TLBI_TG_4K = 0b01;
inline constexpr uint64_t TLBI_TG_16K = 0b10;
inline constexpr uint64_t TLBI_TG_64K = 0b11;

// CMD_PRI_RESP.Resp (PCIe PRG Response Code; names as Linux).
inline constexpr uint64_t PRI_RESP_DENY = 0b00;  // Invalid Request
inline constexpr uint64_t PRI_RESP_FAIL = 0b01;  // Response Failure
inline constexpr uint64_t PRI_RESP_SUCC = 0b10;  // Success

// CMD_RESUME {Ab, Ac}: Ac = 1 retry; Ac = 0 terminate, with Ab = 1 reporting
// an abort to the client (Linux packs both as RESP [13:12]: TERM 0, RETRY 1,
// ABORT 2).
enum class ResumeAction : uint8_t { Terminate, Retry, Abort };

// ATC_INV Size value that invalidates the whole address space (Linux
// ATC_INV_SIZE_ALL).
inline constexpr uint64_t ATC_INV_SIZE_ALL = 52;

struct Cmd {
    uint64_t dw[2] = {};

    // ---- Word 0 ----
    IOMMUSIM_FIELD(Opcode, 0, 8)
    IOMMUSIM_FIELD(Global, 9, 1)  // ATC_INV only (Linux only)
    IOMMUSIM_FIELD(SSec, 10, 1)
    IOMMUSIM_FIELD(SSV, 11, 1)
    IOMMUSIM_FIELD(SubstreamID, 12, 20)
    IOMMUSIM_FIELD(NUM, 12, 5)    // TLBI range
    IOMMUSIM_FIELD(SCALE, 20, 6)  // TLBI range; [25] only with SMMU_IDR5.DS (Linux/QEMU: 5 bits)
    IOMMUSIM_FIELD(CS, 12, 2)     // SYNC
    IOMMUSIM_FIELD(Ac, 12, 1)     // RESUME: 1 = retry
    IOMMUSIM_FIELD(Ab, 13, 1)     // RESUME: abort (when Ac == 0)
    IOMMUSIM_FIELD(MSH, 22, 2)    // SYNC: MSI shareability
    IOMMUSIM_FIELD(MSIAttr, 24, 4)  // SYNC: MSI memory type
    IOMMUSIM_FIELD(StreamID, 32, 32)
    IOMMUSIM_FIELD(MSIData, 32, 32)  // SYNC
    IOMMUSIM_FIELD(VMID, 32, 16)     // TLBI
    IOMMUSIM_FIELD(ASID, 48, 16)     // TLBI

    // ---- Word 1 ----
    IOMMUSIM_FIELD(Leaf, 64, 1)      // CFGI_STE, CFGI_CD, TLBI by address
    IOMMUSIM_FIELD(Range, 64, 5)     // CFGI_STE_RANGE: 2^(Range+1) StreamIDs
    IOMMUSIM_FIELD(Size, 64, 5)      // PREFETCH_ADDR: 2^Size translations
    // PREFETCH_ADDR Stride (prefetch stride 2^(12+Stride)): position [73:69]
    // is NOT confirmed by any source consulted (Linux and QEMU do not encode
    // it). PREFETCH_ADDR.NS (Secure queue only, RES0 here) is not encoded.
    IOMMUSIM_FIELD(Stride, 69, 5)
    IOMMUSIM_FIELD(ATCSize, 64, 6)   // ATC_INV: 2^ATCSize 4KB pages (Linux only)
    IOMMUSIM_FIELD(PRGIndex, 64, 9)  // PRI_RESP (Linux only)
    IOMMUSIM_FIELD(STAG, 64, 16)     // RESUME
    IOMMUSIM_FIELD(TTL128, 71, 1)    // TLBI (SMMUv3.4, 128-bit descriptors)
    IOMMUSIM_FIELD(TTL, 72, 2)       // TLBI
    IOMMUSIM_FIELD(TG, 74, 2)        // TLBI
    // PRI_RESP Resp [77:76] from Linux; old QEMU extracted word[2] bits [12:11]
    // (absolute [76:75]) but never used it.
    IOMMUSIM_FIELD(Resp, 76, 2)
    IOMMUSIM_FIELD(Address, 76, 52)    // VA[63:12] (TLBI stage 1, PREFETCH_ADDR, ATC_INV)
    IOMMUSIM_FIELD(IPAddress, 76, 40)  // IPA[51:12] (TLBI_S2_IPA)
    IOMMUSIM_FIELD(MSIAddress, 66, 50)  // SYNC: PA[51:2]

    // ---- Byte-address helpers ----
    static constexpr unsigned kAddrShift = Address_lsb - 64;        // 12
    static constexpr unsigned kMsiAddrShift = MSIAddress_lsb - 64;  // 2
    uint64_t address() const { return Address() << kAddrShift; }
    void set_address(uint64_t va) { set_Address(va >> kAddrShift); }
    uint64_t ip_address() const { return IPAddress() << kAddrShift; }
    void set_ip_address(uint64_t ipa) { set_IPAddress(ipa >> kAddrShift); }
    uint64_t msi_address() const { return MSIAddress() << kMsiAddrShift; }
    void set_msi_address(uint64_t pa) { set_MSIAddress(pa >> kMsiAddrShift); }

    static Cmd make(uint8_t opcode) {
        Cmd c;
        c.set_Opcode(opcode);
        return c;
    }
};
static_assert(sizeof(Cmd) == 16, "A command is 16 bytes");

// ---------------------------------------------------------------------------
// Defined-field masks: the bits of each opcode that are not RES0 (see the
// table at the top). `known` is false for opcodes this header does not encode
// (reserved, IMPLEMENTATION DEFINED, Secure-queue-only, DPT, CFGI_VMS_PIDM);
// a Non-secure model without those features treats them as CERROR_ILL.
// ---------------------------------------------------------------------------
struct CmdBits {
    uint64_t dw[2] = {};
    bool known = false;
    bool res0_violation(const Cmd& c) const { return (c.dw[0] & ~dw[0]) != 0 || (c.dw[1] & ~dw[1]) != 0; }
};

inline CmdBits cmd_defined_bits(uint8_t opcode) {
    CmdBits m;
    auto add = [&m](unsigned lsb, unsigned width) { ::iommusim::bits::set(m.dw, lsb, width, ~uint64_t{0}); };
#define IOMMUSIM_CMD_FIELDS_ADD(F) add(Cmd::F##_lsb, Cmd::F##_width)
    IOMMUSIM_CMD_FIELDS_ADD(Opcode);
    m.known = true;
    switch (opcode) {
        case CMD_PREFETCH_CONFIG:
            IOMMUSIM_CMD_FIELDS_ADD(SSec);
            IOMMUSIM_CMD_FIELDS_ADD(SSV);
            IOMMUSIM_CMD_FIELDS_ADD(SubstreamID);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            break;
        case CMD_PREFETCH_ADDR:
            IOMMUSIM_CMD_FIELDS_ADD(SSec);
            IOMMUSIM_CMD_FIELDS_ADD(SSV);
            IOMMUSIM_CMD_FIELDS_ADD(SubstreamID);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            IOMMUSIM_CMD_FIELDS_ADD(Size);
            IOMMUSIM_CMD_FIELDS_ADD(Stride);
            IOMMUSIM_CMD_FIELDS_ADD(Address);
            break;
        case CMD_CFGI_STE:
            IOMMUSIM_CMD_FIELDS_ADD(SSec);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            IOMMUSIM_CMD_FIELDS_ADD(Leaf);
            break;
        case CMD_CFGI_STE_RANGE:
            IOMMUSIM_CMD_FIELDS_ADD(SSec);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            IOMMUSIM_CMD_FIELDS_ADD(Range);
            break;
        case CMD_CFGI_CD:
            IOMMUSIM_CMD_FIELDS_ADD(SSec);
            IOMMUSIM_CMD_FIELDS_ADD(SubstreamID);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            IOMMUSIM_CMD_FIELDS_ADD(Leaf);
            break;
        case CMD_CFGI_CD_ALL:
        case CMD_STALL_TERM:
            IOMMUSIM_CMD_FIELDS_ADD(SSec);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            break;
        case CMD_TLBI_NH_ALL:
        case CMD_TLBI_S12_VMALL:
            IOMMUSIM_CMD_FIELDS_ADD(VMID);
            break;
        case CMD_TLBI_NH_ASID:
            IOMMUSIM_CMD_FIELDS_ADD(VMID);
            IOMMUSIM_CMD_FIELDS_ADD(ASID);
            break;
        case CMD_TLBI_EL2_ASID:
            IOMMUSIM_CMD_FIELDS_ADD(ASID);
            break;
        case CMD_TLBI_EL3_ALL:
        case CMD_TLBI_EL2_ALL:
        case CMD_TLBI_NSNH_ALL:
            break;
        case CMD_TLBI_NH_VA:
        case CMD_TLBI_NH_VAA:
        case CMD_TLBI_EL3_VA:
        case CMD_TLBI_EL2_VA:
        case CMD_TLBI_EL2_VAA:
        case CMD_TLBI_S2_IPA:
            IOMMUSIM_CMD_FIELDS_ADD(NUM);
            IOMMUSIM_CMD_FIELDS_ADD(SCALE);
            IOMMUSIM_CMD_FIELDS_ADD(Leaf);
            IOMMUSIM_CMD_FIELDS_ADD(TTL128);
            IOMMUSIM_CMD_FIELDS_ADD(TTL);
            IOMMUSIM_CMD_FIELDS_ADD(TG);
            if (opcode == CMD_TLBI_NH_VA || opcode == CMD_TLBI_NH_VAA || opcode == CMD_TLBI_S2_IPA)
                IOMMUSIM_CMD_FIELDS_ADD(VMID);
            if (opcode == CMD_TLBI_NH_VA || opcode == CMD_TLBI_EL2_VA) IOMMUSIM_CMD_FIELDS_ADD(ASID);
            if (opcode == CMD_TLBI_S2_IPA)
                IOMMUSIM_CMD_FIELDS_ADD(IPAddress);
            else
                IOMMUSIM_CMD_FIELDS_ADD(Address);
            break;
        case CMD_ATC_INV:
            IOMMUSIM_CMD_FIELDS_ADD(Global);
            IOMMUSIM_CMD_FIELDS_ADD(SSV);
            IOMMUSIM_CMD_FIELDS_ADD(SubstreamID);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            IOMMUSIM_CMD_FIELDS_ADD(ATCSize);
            IOMMUSIM_CMD_FIELDS_ADD(Address);
            break;
        case CMD_PRI_RESP:
            IOMMUSIM_CMD_FIELDS_ADD(SSV);
            IOMMUSIM_CMD_FIELDS_ADD(SubstreamID);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            IOMMUSIM_CMD_FIELDS_ADD(PRGIndex);
            IOMMUSIM_CMD_FIELDS_ADD(Resp);
            break;
        case CMD_RESUME:
            IOMMUSIM_CMD_FIELDS_ADD(SSec);
            IOMMUSIM_CMD_FIELDS_ADD(Ac);
            IOMMUSIM_CMD_FIELDS_ADD(Ab);
            IOMMUSIM_CMD_FIELDS_ADD(StreamID);
            IOMMUSIM_CMD_FIELDS_ADD(STAG);
            break;
        case CMD_SYNC:
            IOMMUSIM_CMD_FIELDS_ADD(CS);
            IOMMUSIM_CMD_FIELDS_ADD(MSH);
            IOMMUSIM_CMD_FIELDS_ADD(MSIAttr);
            IOMMUSIM_CMD_FIELDS_ADD(MSIData);
            IOMMUSIM_CMD_FIELDS_ADD(MSIAddress);
            break;
        default:
            m.known = false;
            break;
    }
#undef IOMMUSIM_CMD_FIELDS_ADD
    return m;
}

// ---------------------------------------------------------------------------
// Builders, as a driver issues the commands. Addresses are byte addresses;
// bits below the field are dropped.
// ---------------------------------------------------------------------------

inline Cmd cmd_prefetch_config(uint32_t sid, bool ssv = false, uint32_t ssid = 0) {
    Cmd c = Cmd::make(CMD_PREFETCH_CONFIG);
    c.set_StreamID(sid);
    c.set_SSV(ssv);
    c.set_SubstreamID(ssv ? ssid : 0);
    return c;
}

inline Cmd cmd_prefetch_addr(uint32_t sid, uint64_t addr, unsigned size, bool ssv = false, uint32_t ssid = 0,
                             unsigned stride = 0) {
    Cmd c = Cmd::make(CMD_PREFETCH_ADDR);
    c.set_StreamID(sid);
    c.set_SSV(ssv);
    c.set_SubstreamID(ssv ? ssid : 0);
    c.set_Size(size);
    c.set_Stride(stride);
    c.set_address(addr);
    return c;
}

inline Cmd cmd_cfgi_ste(uint32_t sid, bool leaf) {
    Cmd c = Cmd::make(CMD_CFGI_STE);
    c.set_StreamID(sid);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_cfgi_ste_range(uint32_t sid, unsigned range) {
    Cmd c = Cmd::make(CMD_CFGI_STE_RANGE);
    c.set_StreamID(sid);
    c.set_Range(range);
    return c;
}

inline Cmd cmd_cfgi_all() { return cmd_cfgi_ste_range(0, CFGI_RANGE_ALL); }

inline Cmd cmd_cfgi_cd(uint32_t sid, uint32_t ssid, bool leaf) {
    Cmd c = Cmd::make(CMD_CFGI_CD);
    c.set_StreamID(sid);
    c.set_SubstreamID(ssid);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_cfgi_cd_all(uint32_t sid) {
    Cmd c = Cmd::make(CMD_CFGI_CD_ALL);
    c.set_StreamID(sid);
    return c;
}

inline Cmd cmd_tlbi_nh_all(uint16_t vmid) {
    Cmd c = Cmd::make(CMD_TLBI_NH_ALL);
    c.set_VMID(vmid);
    return c;
}

inline Cmd cmd_tlbi_nh_asid(uint16_t vmid, uint16_t asid) {
    Cmd c = Cmd::make(CMD_TLBI_NH_ASID);
    c.set_VMID(vmid);
    c.set_ASID(asid);
    return c;
}

inline Cmd cmd_tlbi_nh_va(uint16_t vmid, uint16_t asid, uint64_t va, bool leaf) {
    Cmd c = Cmd::make(CMD_TLBI_NH_VA);
    c.set_VMID(vmid);
    c.set_ASID(asid);
    c.set_address(va);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_tlbi_nh_vaa(uint16_t vmid, uint64_t va, bool leaf) {
    Cmd c = Cmd::make(CMD_TLBI_NH_VAA);
    c.set_VMID(vmid);
    c.set_address(va);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_tlbi_el2_all() { return Cmd::make(CMD_TLBI_EL2_ALL); }

inline Cmd cmd_tlbi_el2_asid(uint16_t asid) {
    Cmd c = Cmd::make(CMD_TLBI_EL2_ASID);
    c.set_ASID(asid);
    return c;
}

inline Cmd cmd_tlbi_el2_va(uint16_t asid, uint64_t va, bool leaf) {
    Cmd c = Cmd::make(CMD_TLBI_EL2_VA);
    c.set_ASID(asid);
    c.set_address(va);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_tlbi_el2_vaa(uint64_t va, bool leaf) {
    Cmd c = Cmd::make(CMD_TLBI_EL2_VAA);
    c.set_address(va);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_tlbi_el3_all() { return Cmd::make(CMD_TLBI_EL3_ALL); }

inline Cmd cmd_tlbi_el3_va(uint64_t va, bool leaf) {
    Cmd c = Cmd::make(CMD_TLBI_EL3_VA);
    c.set_address(va);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_tlbi_s12_vmall(uint16_t vmid) {
    Cmd c = Cmd::make(CMD_TLBI_S12_VMALL);
    c.set_VMID(vmid);
    return c;
}

inline Cmd cmd_tlbi_s2_ipa(uint16_t vmid, uint64_t ipa, bool leaf) {
    Cmd c = Cmd::make(CMD_TLBI_S2_IPA);
    c.set_VMID(vmid);
    c.set_ip_address(ipa);
    c.set_Leaf(leaf);
    return c;
}

inline Cmd cmd_tlbi_nsnh_all() { return Cmd::make(CMD_TLBI_NSNH_ALL); }

// Turn an address-based TLBI into a range invalidation (SMMU_IDR3.RIL):
// invalidates (NUM+1) * 2^SCALE granules of size TG from the command's address.
inline void cmd_tlbi_set_range(Cmd& c, unsigned num, unsigned scale, unsigned tg, unsigned ttl = 0) {
    c.set_NUM(num);
    c.set_SCALE(scale);
    c.set_TG(tg);
    c.set_TTL(ttl);
}

inline Cmd cmd_atc_inv(uint32_t sid, uint64_t addr, unsigned size, bool global = false, bool ssv = false,
                       uint32_t ssid = 0) {
    Cmd c = Cmd::make(CMD_ATC_INV);
    c.set_StreamID(sid);
    c.set_SSV(ssv);
    c.set_SubstreamID(ssv ? ssid : 0);
    c.set_Global(global);
    c.set_ATCSize(size);
    c.set_address(addr);
    return c;
}

inline Cmd cmd_pri_resp(uint32_t sid, uint16_t prg_index, uint64_t resp, bool ssv = false, uint32_t ssid = 0) {
    Cmd c = Cmd::make(CMD_PRI_RESP);
    c.set_StreamID(sid);
    c.set_SSV(ssv);
    c.set_SubstreamID(ssv ? ssid : 0);
    c.set_PRGIndex(prg_index);
    c.set_Resp(resp);
    return c;
}

inline Cmd cmd_resume(uint32_t sid, uint16_t stag, ResumeAction action) {
    Cmd c = Cmd::make(CMD_RESUME);
    c.set_StreamID(sid);
    c.set_STAG(stag);
    c.set_Ac(action == ResumeAction::Retry);
    c.set_Ab(action == ResumeAction::Abort);
    return c;
}

inline Cmd cmd_stall_term(uint32_t sid) {
    Cmd c = Cmd::make(CMD_STALL_TERM);
    c.set_StreamID(sid);
    return c;
}

inline Cmd cmd_sync_none() { return Cmd::make(CMD_SYNC); }

inline Cmd cmd_sync_irq() {
    Cmd c = Cmd::make(CMD_SYNC);
    c.set_CS(CS_SIG_IRQ);
    return c;
}

inline Cmd cmd_sync_sev() {
    Cmd c = Cmd::make(CMD_SYNC);
    c.set_CS(CS_SIG_SEV);
    return c;
}

// CMD_SYNC completing with an MSI write of `data` to `addr` (CS = SIG_IRQ with
// a non-zero MSIAddress). Defaults follow Linux: Inner Shareable, Normal WB.
inline Cmd cmd_sync_msi(uint64_t addr, uint32_t data, uint64_t msh = 0b11, uint64_t msiattr = MSIATTR_OIWB) {
    Cmd c = Cmd::make(CMD_SYNC);
    c.set_CS(CS_SIG_IRQ);
    c.set_MSH(msh);
    c.set_MSIAttr(msiattr);
    c.set_MSIData(data);
    c.set_msi_address(addr);
    return c;
}

}  // namespace iommusim::smmuv3
