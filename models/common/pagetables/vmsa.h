// AArch64 VMSAv8-64 translation-table walk (no SystemC), as an Arm SMMUv3
// uses it for stage 1 (CD.TTB0/TTB1) and stage 2 (STE.S2TTB).
//
// References: Arm ARM (DDI 0487) D5/D8 "VMSAv8-64 translation", SMMUv3
// (IHI 0070) §3.4 and §5 (CD / STE fields).
//
// What is modelled:
//   * 4K / 16K / 64K granules; input size 64 - TxSZ (16 <= TxSZ <= 39, no
//     FEAT_LVA / FEAT_TTST); stage-1 start level from TxSZ; stage-2 start
//     level from S2SL0 (whose meaning depends on the granule) with the Arm ARM
//     consistency rules, including concatenated start tables (2..16).
//   * Table, block and page descriptors. Blocks: 4K at levels 1 and 2, 16K and
//     64K at level 2 (no 52-bit FEAT_LPA/LPA2 blocks: a 64K level-1 block is a
//     Translation fault even with a 52-bit output size).
//   * Output size: the caller passes the effective size (min of CD.IPS or
//     STE.S2PS and SMMU_IDR5.OAS). Above 48 bits it only applies to the 64K
//     granule (descriptor bits [15:12] = OA[51:48]); 4K/16K are capped at 48.
//   * Faults, in the Arm ARM priority order within one walk:
//       BadConfig (inconsistent TxSZ / S2SL0 / output size), then
//       Translation (input address above the input size, level 0), then
//       AddressSize (TTB above the output size, level 0), then per level:
//       ExternalAbort (read callback failed), Translation (invalid descriptor,
//       reserved type, block not allowed at that level), AddressSize (table or
//       output address above the output size).
//     AccessFlag and Permission are evaluated after the walk by check_access().
//   * Stage 1 permissions of the EL1&0 (two-privilege) regime: AP[2:1], UXN,
//     PXN and the hierarchical APTable / UXNTable / PXNTable. A region writable
//     at EL0 is privileged-execute-never (Arm ARM). No WXN, PAN, HPD, PIE.
//   * Stage 2 permissions: S2AP read / write and XN[1:0] as FEAT_XNX
//     (TTS2UXN) defines it (mandatory on SMMUv3.1+ with stage 2):
//       XN=00 executable at EL1 and EL0, 01 EL0 only, 10 neither, 11 EL1 only;
//     "privileged" = EL1. Stage-2 table descriptor attributes are ignored.
//   * Instruction fetches are checked against execute permission only (as the
//     PE does in AArch64: execute-only memory is allowed).
//
// Not modelled: TTB0/TTB1 selection and TBI (caller), hardware AF/dirty
// write-back (HA only suppresses the AccessFlag fault), the Contiguous hint
// (reported in the leaf descriptor, not used to enlarge page_size), memory
// attributes, AArch32 formats.
#pragma once

#include <cstdint>

namespace iommusim::vmsa {

enum class Granule : uint8_t { G4K, G16K, G64K };
enum class Stage : uint8_t { S1, S2 };
enum class Fault : uint8_t { None, Translation, AddressSize, AccessFlag, Permission, ExternalAbort, BadConfig };

const char* fault_name(Fault);

constexpr int kMaxLevel = 3;

// log2 of the granule size: 12, 14, 16.
unsigned granule_shift(Granule);
// log2 of the bytes mapped by one descriptor at `level` (0..3): the number of
// input-address bits below that level's index.
unsigned level_shift(Granule, int level);
// True when a block (levels 0..2) or page (level 3) descriptor is permitted
// at `level`.
bool leaf_allowed(Granule, int level);
// IPS / S2PS / OAS encodings 0..6 -> 32, 36, 40, 42, 44, 48, 52 bits; false
// for reserved encodings.
bool decode_pa_size(unsigned enc, unsigned& bits);

struct WalkConfig {
    Stage stage = Stage::S1;
    Granule granule = Granule::G4K;
    unsigned tsz = 16;     // T0SZ/T1SZ or S2T0SZ; input size = 64 - tsz
    unsigned sl0 = 0;      // stage 2 only: S2SL0 encoding
    uint64_t ttb = 0;      // table base address (TTB0/TTB1/S2TTB as a byte address)
    unsigned oas_bits = 48;  // effective output address size in bits, 32..52 (caller computes)
    bool ha = false;       // hardware access-flag update enabled: AF==0 does not fault
    bool affd = false;     // stage 2 S2AFFD: AF==0 does not fault (ignored at stage 1)
};

struct StartInfo {
    int level = 0;               // start level
    unsigned concat_tables = 1;  // stage 2 concatenation: 1..16 (stage 1: 1)
    unsigned index_bits = 0;     // input-address bits resolved at the start level
                                 // (over all concatenated tables)
    uint64_t table_bytes = 0;    // bytes of the start table(s): 8 << index_bits
    unsigned oas_bits = 0;       // output size the walk applies (48 cap for 4K/16K)
};

// Validates the configuration and computes the start level. Returns
//   BadConfig   TxSZ outside 16..39; stage 2: S2SL0 reserved (3), input size
//               above the output size, start level 0 (4K) or 1 (16K/64K) with
//               an output size of 42 bits or less, or a start table with
//               fewer than 2 entries or more than 16 concatenated tables;
//               oas_bits outside 32..52;
//   AddressSize the TTB has bits set at or above the output size (`out` is
//               filled in);
//   None.
Fault start_level(const WalkConfig&, StartInfo& out);

// Permissions granted by a leaf, or (as `inherited`) the limits collected from
// the table descriptors above a level. Stage 1:
//   r       always true (privileged reads are always permitted)
//   w       write permitted (!AP[2], and no APTable[1] above)
//   user    unprivileged (EL0) data access permitted (AP[1], and no
//           APTable[0] above); an unprivileged read needs r && user, an
//           unprivileged write w && user
//   x_user  unprivileged execute (!UXN, no UXNTable above)
//   x_priv  privileged execute (!PXN, no PXNTable above, and not writable at
//           EL0)
//   ns      NS | NSTable above (meaningful for Secure streams only)
// Stage 2: r = S2AP[0], w = S2AP[1], x_user / x_priv from XN[1:0], user = true,
// ns = false.
struct Perms {
    bool r = false, w = false, x_user = false, x_priv = false;
    bool user = false;
    bool ns = false;

    // No limits: the `inherited` value at the start level.
    static constexpr Perms all() {
        Perms p;
        p.r = p.w = p.x_user = p.x_priv = p.user = true;
        return p;
    }
    bool operator==(const Perms& o) const {
        return r == o.r && w == o.w && x_user == o.x_user && x_priv == o.x_priv && user == o.user && ns == o.ns;
    }
    bool operator!=(const Perms& o) const { return !(*this == o); }
};

struct WalkStep {
    int level = 0;
    uint64_t desc_addr = 0;
    uint64_t desc = 0;
    // Valid table descriptor (levels 0..2) whose next-level address passed the
    // output-size check: a walk can resume from it with
    // walk_from(cfg, ia, level + 1, next_table, inherited, ...).
    bool is_table = false;
    uint64_t next_table = 0;
    Perms inherited;  // table attributes collected down to and including this descriptor
};

struct WalkResult {
    Fault fault = Fault::None;
    int level = -1;           // level of the leaf or of the fault
    uint64_t oa = 0;          // output address for the input address (leaf base | offset)
    uint64_t page_size = 0;   // bytes mapped by the leaf (4K..1G / 16K..32M / 64K..512M)
    uint64_t leaf_desc = 0;
    Perms perms;              // effective permissions incl. hierarchical table attributes
    bool af = true;           // the leaf's AF bit
    WalkStep steps[6];        // every descriptor read, in order (reads that aborted are not listed)
    unsigned nsteps = 0;
};

// Returns false on an external abort. Called once for every descriptor read,
// with the descriptor address as computed from the table base (a stage-1 table
// address is an IPA when stage 2 is enabled: the callback translates it).
using ReadFn = bool (*)(void* ctx, uint64_t addr, uint64_t& desc);

WalkResult walk(const WalkConfig&, uint64_t ia, ReadFn read, void* ctx);

// Resumes at `level` (start level..3) with the table at `table`; `inherited`
// is the WalkStep::inherited of the table descriptor that pointed to it
// (Perms::all() at the start level). At the start level `table` is indexed
// like the (possibly concatenated) start table. Level outside
// start level..3 -> BadConfig. Does not re-check the TTB.
WalkResult walk_from(const WalkConfig&, uint64_t ia, int level, uint64_t table, const Perms& inherited,
                     ReadFn read, void* ctx);

// Permission / access-flag check of a successful walk for one access: returns
// the walk's own fault if it had one, else AccessFlag (AF==0 and neither
// cfg.ha nor, at stage 2, cfg.affd), Permission, or None. `exec` = instruction
// fetch (checked against execute permission only); otherwise `write` selects
// write vs read. `privileged` = EL1 (stage 2: selects the XN[1:0] column).
// Permission check alone, for a cached translation (access flag already set).
Fault check_perms(const WalkConfig& c, const Perms& p, bool write, bool exec, bool privileged);
Fault check_access(const WalkConfig&, const WalkResult&, bool write, bool exec, bool privileged);

}  // namespace iommusim::vmsa
