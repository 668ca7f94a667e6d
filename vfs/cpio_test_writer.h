// A tiny newc cpio writer for tests, so archives are built in the test itself
// (hermetic: no host cpio) and malformed ones are made by patching well-formed
// ones at known offsets.
#ifndef FUTURA_VFS_CPIO_TEST_WRITER_H
#define FUTURA_VFS_CPIO_TEST_WRITER_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace futura_test
{

// The 13 header fields, in header order.
enum CpioField {
    kIno,
    kMode,
    kUid,
    kGid,
    kNlink,
    kMtime,
    kFilesize,
    kDevMajor,
    kDevMinor,
    kRdevMajor,
    kRdevMinor,
    kNamesize,
    kCheck,
    kNumFields,
};

constexpr size_t kHeaderSize = 110;

// Byte offset of field f in the header that starts at entry_offset.
inline size_t FieldOffset(size_t entry_offset, CpioField f)
{
    return entry_offset + 6 + 8 * static_cast<size_t>(f);
}

inline std::string Hex8(uint32_t v, bool upper = true)
{
    char buf[9];
    snprintf(buf, sizeof(buf), upper ? "%08X" : "%08x", v);
    return buf;
}

// Overwrites field f of the entry at entry_offset with exactly 8 characters.
inline void SetField(std::string *archive, size_t entry_offset, CpioField f,
                     const std::string &text)
{
    archive->replace(FieldOffset(entry_offset, f), 8, text);
}

inline void SetField(std::string *archive, size_t entry_offset, CpioField f, uint32_t value)
{
    SetField(archive, entry_offset, f, Hex8(value));
}

struct CpioEntry {
    std::string name; // written as is, plus the NUL
    uint32_t mode = 0100644;
    std::string data;
    uint32_t ino = 0; // 0: the writer numbers entries 1, 2, ...
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t nlink = 1;
    uint32_t mtime = 0;
    uint32_t dev_major = 0;
    uint32_t dev_minor = 0;
    uint32_t rdev_major = 0;
    uint32_t rdev_minor = 0;
};

class CpioWriter
{
  public:
    // crc: write "070702" headers whose check field is the data's byte sum.
    explicit CpioWriter(bool crc = false) : crc_(crc) {}

    CpioWriter &Add(const CpioEntry &e)
    {
        offsets_.push_back(out_.size());
        uint32_t check = 0;
        if (crc_) {
            for (unsigned char c : e.data)
                check += c;
        }
        uint32_t fields[kNumFields] = {
            e.ino ? e.ino : next_ino_++,
            e.mode,
            e.uid,
            e.gid,
            e.nlink,
            e.mtime,
            static_cast<uint32_t>(e.data.size()),
            e.dev_major,
            e.dev_minor,
            e.rdev_major,
            e.rdev_minor,
            static_cast<uint32_t>(e.name.size() + 1),
            check,
        };
        out_ += crc_ ? "070702" : "070701";
        for (uint32_t v : fields)
            out_ += Hex8(v, upper_);
        upper_ = !upper_; // both cases are valid; exercise both
        out_ += e.name;
        out_.push_back('\0');
        Pad();
        out_ += e.data;
        Pad();
        return *this;
    }

    CpioWriter &File(const std::string &name, const std::string &data, uint32_t perm = 0644)
    {
        CpioEntry e;
        e.name = name;
        e.mode = 0100000 | perm;
        e.data = data;
        return Add(e);
    }

    CpioWriter &Dir(const std::string &name, uint32_t perm = 0755)
    {
        CpioEntry e;
        e.name = name;
        e.mode = 0040000 | perm;
        e.nlink = 2;
        return Add(e);
    }

    CpioWriter &Symlink(const std::string &name, const std::string &target)
    {
        CpioEntry e;
        e.name = name;
        e.mode = 0120777;
        e.data = target;
        return Add(e);
    }

    // The archive so far plus a trailer, padded with NULs to a multiple of pad_to.
    std::string Finish(size_t pad_to = 4) const
    {
        CpioWriter w = *this;
        CpioEntry trailer;
        trailer.name = "TRAILER!!!";
        trailer.mode = 0;
        trailer.ino = 0;
        w.next_ino_ = 0;
        w.Add(trailer);
        while (w.out_.size() % pad_to)
            w.out_.push_back('\0');
        return w.out_;
    }

    // The entries without a trailer.
    const std::string &Body() const
    {
        return out_;
    }

    // Header offsets of the entries, in order (the trailer's is Finish()'s).
    const std::vector<size_t> &offsets() const
    {
        return offsets_;
    }

  private:
    void Pad()
    {
        while (out_.size() % 4)
            out_.push_back('\0');
    }

    bool crc_;
    bool upper_ = false;
    uint32_t next_ino_ = 1;
    std::string out_;
    std::vector<size_t> offsets_;
};

} // namespace futura_test

#endif
