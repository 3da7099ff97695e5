// Host-software helper for the SMMUv3: does what an OS driver does, only
// through the register interface and memory. It allocates the stream table,
// CDs, queues and page tables in simulated memory (CPU stores go to memory
// through the backdoor, as a CPU's would), enables the SMMU, attaches
// StreamIDs to translation domains, maps and unmaps, and issues commands
// (CMD_SYNC waits for completion by polling CMDQ_CONS, so calls that invalidate
// must run in an SC_THREAD).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/common/pagetables/vmsa_builder.h"
#include "models/common/phys_alloc.h"
#include "models/common/sparse_memory.h"
#include "models/smmuv3/arch/cd.h"
#include "models/smmuv3/arch/cmd.h"
#include "models/smmuv3/arch/event.h"
#include "models/smmuv3/arch/ste.h"

namespace iommusim::smmuv3 {

struct DriverParams {
    unsigned sid_bits = 16;         // stream table covers 2^sid_bits StreamIDs
    bool two_level = true;          // 2-level stream table (else linear)
    unsigned split = 8;             // STRTAB_BASE_CFG.SPLIT for 2-level
    unsigned cmdq_log2 = 8;
    unsigned eventq_log2 = 8;
    double poll_ns = 10.0;          // CMDQ_CONS polling interval
};

enum class DomainKind { S1, S2, Nested };

struct MapPerms {
    bool read = true, write = true, exec = false;
};

class Smmuv3Driver : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Smmuv3Driver> regs;

    struct Domain {
        DomainKind kind = DomainKind::S1;
        vmsa::Granule granule = vmsa::Granule::G4K;
        uint16_t asid = 0;
        uint16_t vmid = 0;
        std::unique_ptr<vmsa::VmsaBuilder> s1;  // stage-1 tables (IPA space when nested)
        std::unique_ptr<vmsa::VmsaBuilder> s2;  // stage-2 tables
        uint64_t cd_table = 0;                  // CD table (one CD per substream)
        unsigned cd_log2 = 0;                   // S1CDMax
        unsigned ias_bits = 48;
        uint64_t cd_l1 = 0;                     // L1 CD table when 2-level (cd_log2 > 6)
        std::vector<uint32_t> sids;             // attached StreamIDs
        Smmuv3Driver* drv = nullptr;
        // Commands unmap() and flush_domain() issued for this domain (per-domain
        // attribution; commands_issued() counts the whole driver).
        uint64_t tlbi_cmds = 0, sync_cmds = 0;
    };
    // Nested domains: the intermediate address of a physical page mapped by
    // map() (stage 2 maps it back); page tables and CDs are identity-mapped.
    static constexpr uint64_t kNestedIpaOffset = uint64_t{1} << 46;

    Smmuv3Driver(const sc_core::sc_module_name& name, SparseMemory& mem, PhysAllocator& alloc,
                 const DriverParams& p = {});

    // Programs stream table and queues and enables the SMMU (CR0.SMMUEN,
    // CMDQEN, EVENTQEN). Untimed register writes may happen before sc_start.
    void init();
    void set_gbpa_abort(bool abort);

    // Translation domains. ias_bits: input address size (TnSZ = 64 - ias).
    Domain* create_domain(DomainKind kind, vmsa::Granule g, unsigned ias_bits = 48, unsigned ssid_log2 = 0);
    // Writes the CD of substream `ssid` (< 2^ssid_log2) of a stage-1 domain;
    // create_domain() writes the first 64. Before attach(), or follow with
    // CFGI_CD + SYNC.
    void write_substream_cd(Domain* d, uint32_t ssid) { write_cd(d, ssid); }
    // STE writers (followed by CFGI_STE + SYNC when `sync`).
    void attach(uint32_t sid, Domain* d, bool sync = true);
    void attach_bypass(uint32_t sid, bool sync = true);
    void attach_abort(uint32_t sid, bool sync = true);
    void detach(uint32_t sid, bool sync = true);  // STE.V = 0

    // Maps [iova, iova+size) of the domain to [pa, pa+size) (largest leaf <= page_size).
    bool map(Domain* d, uint64_t iova, uint64_t pa, uint64_t size, uint64_t page_size,
             const MapPerms& perms = {});
    // Unmaps; strict = TLBI by VA for every page + CMD_SYNC now; otherwise the
    // caller batches (flush_domain()).
    uint64_t unmap(Domain* d, uint64_t iova, uint64_t size, bool strict = true);
    void flush_domain(Domain* d);  // TLBI_NH_ASID / TLBI_S12_VMALL + SYNC

    // Commands.
    void issue(const Cmd& c);
    void sync();                   // CMD_SYNC and wait for CMDQ_CONS to pass it
    void sync_msi(uint64_t addr, uint32_t data);

    // Register access (timed when called from a thread).
    uint32_t read32(uint32_t off);
    uint64_t read64(uint32_t off);
    void write32(uint32_t off, uint32_t v);
    void write64(uint32_t off, uint64_t v);

    // STE / CD locations, for tests that corrupt them on purpose.
    uint64_t ste_addr(uint32_t sid);
    uint64_t cd_addr(Domain* d, uint32_t ssid) const { return d->cd_table + uint64_t{ssid} * 64; }
    uint64_t eventq_base() const { return eventq_; }
    // Reads the events the SMMU has written since the last call (advances CONS).
    std::vector<Event> drain_events();

    SparseMemory& memory() { return mem_; }
    PhysAllocator& allocator() { return alloc_; }
    uint64_t commands_issued() const { return cmds_; }

private:
    void write_cd(Domain* d, uint32_t ssid);
    void write_ste(uint32_t sid, const Ste& ste, bool sync);
    void reg_access(tlm::tlm_command cmd, uint32_t off, void* data, unsigned len);
    static vmsa::TableMemory table_memory(Domain* d, bool stage1);
    uint64_t alloc_for(Domain* d, uint64_t bytes);  // identity-mapped through stage 2 when nested
    void wait_for(const sc_core::sc_time& d);

    SparseMemory& mem_;
    PhysAllocator& alloc_;
    DriverParams p_;
    uint64_t strtab_ = 0, cmdq_ = 0, eventq_ = 0;
    uint32_t cmdq_prod_ = 0;
    uint16_t next_asid_ = 1, next_vmid_ = 1;
    uint64_t cmds_ = 0;
    std::vector<std::unique_ptr<Domain>> domains_;
};

}  // namespace iommusim::smmuv3
