using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Numerics;
using System.Text;
using static TorchSharp.torch;

namespace GenNet.Serialization;

/// <summary>
/// PyTorch's own state_dict files, as <c>torch.save(model.state_dict(), path)</c> writes them (the zip format of
/// PyTorch 1.6 and later: <c>archive/data.pkl</c>, a pickle of an <c>OrderedDict</c> of tensors, one
/// <c>archive/data/N</c> entry of raw bytes per storage, and <c>archive/version</c>).
/// </summary>
/// <remarks>
/// Loading never executes pickled code: the reader understands the pickle opcodes a state_dict uses and allows only
/// the globals <c>torch.load(weights_only=True)</c> allows for one (<c>collections.OrderedDict</c>, PyTorch's tensor
/// and parameter rebuild functions and typed storages). Anything else is an <see cref="InvalidDataException"/> naming
/// the global. Sizes are checked against the archive before a storage is allocated. Files written here load in
/// PyTorch 1.13 and later with <c>torch.load(path)</c> and with <c>weights_only=True</c>.
/// </remarks>
public static class PyTorchFiles
{
    private const string Archive = "archive";

    // The pickle only describes the tensors (names, shapes, storage keys); the bytes live in separate entries.
    private const long MaxPickleBytes = 1L << 30;

    /// <summary>Writes <paramref name="stateDict"/> as PyTorch's <c>torch.save</c> does (atomically).</summary>
    /// <param name="path">The file.</param>
    /// <param name="stateDict">Named tensors on any device and of any layout; each is written as its own contiguous storage.</param>
    /// <exception cref="NotSupportedException">A dtype PyTorch files of GenNet do not support.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> stateDict)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(stateDict);
        var items = stateDict.ToList();
        foreach (var (name, tensor) in items)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            TensorTypes.ToStorage(tensor.dtype, name);
        }
        var pickle = Pickle(items);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, $"{Archive}/data.pkl", s => s.Write(pickle));
            WriteEntry(zip, $"{Archive}/byteorder", s => s.Write("little"u8));
            for (var i = 0; i < items.Count; i++)
            {
                var tensor = items[i].Value;
                WriteEntry(zip, $"{Archive}/data/{i}", s =>
                {
                    using var scope = NewDisposeScope();
                    TensorBytes.Write(s, tensor.detach().cpu().contiguous());
                });
            }
            WriteEntry(zip, $"{Archive}/version", s => s.Write("3\n"u8));
        }, durable: false);
    }

    /// <summary>Loads a state_dict file written by <c>torch.save</c> (or <see cref="Save"/>) onto the CPU.</summary>
    /// <param name="path">The file.</param>
    /// <param name="key">When the file holds a dictionary that contains the state_dict (e.g. <c>{"model": sd, "epoch": 3}</c>), its key.</param>
    /// <returns>The tensors by name, in the file's order.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a PyTorch zip file, not a dictionary of tensors, or a global outside
    /// the allow-list; the message names the file and the problem.</exception>
    public static Dictionary<string, Tensor> Load(string path, string? key = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"PyTorch file '{full}' does not exist.", full);
        string Bad(string problem) => $"'{full}' is not a loadable PyTorch state_dict file: {problem}.";

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        Span<byte> magic = stackalloc byte[4];
        if (stream.Length < 4 || stream.Read(magic) != 4 || !magic.SequenceEqual("PK\u0003\u0004"u8))
            throw new InvalidDataException(Bad("it is not a zip archive (PyTorch before 1.6 used another format; resave it with a newer torch.save)"));
        stream.Position = 0;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(Bad($"its zip directory is damaged ({e.Message})"), e);
        }
        using (zip)
        {
            if (zip.Entries.Count == 0)
                throw new InvalidDataException(Bad("the archive is empty"));
            var first = zip.Entries[0].FullName;
            var slash = first.IndexOf('/');
            if (slash <= 0)
                throw new InvalidDataException(Bad($"its entries are not inside an archive folder (first entry '{first}')"));
            var prefix = first[..(slash + 1)];
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.StartsWith(prefix, StringComparison.Ordinal))
                    throw new InvalidDataException(Bad($"entry '{entry.FullName}' is outside the archive folder '{prefix}'"));
                if (entry.CompressedLength != entry.Length)
                    throw new InvalidDataException(Bad($"entry '{entry.FullName}' is compressed, which torch.save never does"));
                if (entry.Length > stream.Length)
                    throw new InvalidDataException(Bad($"entry '{entry.FullName}' claims {entry.Length} bytes, more than the file has"));
                entries[entry.FullName[prefix.Length..]] = entry;
            }
            if (!entries.TryGetValue("data.pkl", out var pickleEntry))
                throw new InvalidDataException(Bad($"it has no '{prefix}data.pkl' (was it saved with torch.save?)"));
            if (pickleEntry.Length > MaxPickleBytes)
                throw new InvalidDataException(Bad($"its data.pkl has {pickleEntry.Length} bytes; a state_dict's is far smaller (limit {MaxPickleBytes})"));
            var pickle = new byte[pickleEntry.Length];
            using (var s = pickleEntry.Open())
                s.ReadExactly(pickle);

            using var scope = NewDisposeScope();
            var reader = new Unpickler(pickle, Bad, (storageKey, dtype, size, numel) => LoadStorage(entries, prefix, storageKey, dtype, size, numel, Bad));
            var root = reader.Run();
            if (key is not null)
            {
                if (root is not PyDict outer || !outer.TryGet(key, out var inner))
                    throw new InvalidDataException(Bad($"it has no top-level key '{key}'"));
                root = inner;
            }
            if (root is not PyDict dict)
                throw new InvalidDataException(Bad($"it holds a {Describe(root)}, not a state_dict (a dictionary of tensors){(key is null ? "; if it is a checkpoint dictionary, pass the key of its state_dict" : "")}"));
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (k, v) in dict.Items)
            {
                if (k is not string name)
                    throw new InvalidDataException(Bad($"a key is a {Describe(k)}, not a string"));
                if (v is not Tensor t)
                    throw new InvalidDataException(Bad($"entry '{name}' is a {Describe(v)}, not a tensor{(key is null ? "; if this is a checkpoint dictionary, pass the key of its state_dict" : "")}"));
                if (!result.TryAdd(name, t))
                    throw new InvalidDataException(Bad($"the name '{name}' appears twice"));
            }
            foreach (var t in result.Values)
                t.MoveToOuterDisposeScope();
            return result;
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string => "string",
        long or BigInteger => "int",
        double => "float",
        bool => "bool",
        PyDict => "dict",
        List<object?> => "list",
        object?[] => "tuple",
        Tensor => "tensor",
        _ => value.GetType().Name,
    };

    private static Tensor LoadStorage(Dictionary<string, ZipArchiveEntry> entries, string prefix, string key, ScalarType dtype, int size, long numel, Func<string, string> bad)
    {
        if (!entries.TryGetValue($"data/{key}", out var entry))
            throw new InvalidDataException(bad($"storage '{key}' has no entry '{prefix}data/{key}'"));
        long bytes;
        try
        {
            bytes = checked(numel * size);
        }
        catch (OverflowException)
        {
            throw new InvalidDataException(bad($"storage '{key}' claims {numel} elements, whose size overflows"));
        }
        if (numel < 0 || bytes != entry.Length)
            throw new InvalidDataException(bad($"storage '{key}' claims {numel} elements of {size} bytes but its entry has {entry.Length} bytes"));
        var storage = empty(new[] { numel }, dtype: dtype);
        using var s = entry.Open();
        if (!TensorBytes.Read(s, storage))
            throw new InvalidDataException(bad($"entry '{prefix}data/{key}' ended early"));
        return storage;
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var s = entry.Open();
        write(s);
    }

    // Protocol 2, as torch.save: an OrderedDict of _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()).
    private static byte[] Pickle(List<KeyValuePair<string, Tensor>> items)
    {
        using var buffer = new MemoryStream();
        var w = new BinaryWriter(buffer);
        w.Write((byte)0x80);
        w.Write((byte)2);
        Global(w, "collections", "OrderedDict");
        w.Write((byte)')');
        w.Write((byte)'R');
        if (items.Count > 0)
        {
            w.Write((byte)'(');
            for (var i = 0; i < items.Count; i++)
            {
                var (name, tensor) = items[i];
                Unicode(w, name);
                Global(w, "torch._utils", "_rebuild_tensor_v2");
                w.Write((byte)'(');
                w.Write((byte)'(');
                Unicode(w, "storage");
                Global(w, "torch", TensorTypes.ToStorage(tensor.dtype, name));
                Unicode(w, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Unicode(w, "cpu");
                Integer(w, tensor.NumberOfElements);
                w.Write((byte)'t');
                w.Write((byte)'Q');
                Integer(w, 0);
                var shape = tensor.shape;
                Tuple(w, shape);
                var strides = new long[shape.Length];
                long stride = 1;
                for (var d = shape.Length - 1; d >= 0; d--)
                {
                    strides[d] = stride;
                    stride *= Math.Max(shape[d], 1);
                }
                Tuple(w, strides);
                w.Write((byte)0x89); // False: requires_grad
                Global(w, "collections", "OrderedDict");
                w.Write((byte)')');
                w.Write((byte)'R');
                w.Write((byte)'t');
                w.Write((byte)'R');
            }
            w.Write((byte)'u');
        }
        w.Write((byte)'.');
        w.Flush();
        return buffer.ToArray();
    }

    private static void Global(BinaryWriter w, string module, string name)
    {
        w.Write((byte)'c');
        w.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private static void Unicode(BinaryWriter w, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        w.Write((byte)'X');
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    private static void Integer(BinaryWriter w, long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            w.Write((byte)'J');
            w.Write((int)value);
            return;
        }
        var bytes = new BigInteger(value).ToByteArray(); // little-endian two's complement, as LONG1 wants
        w.Write((byte)0x8a);
        w.Write((byte)bytes.Length);
        w.Write(bytes);
    }

    private static void Tuple(BinaryWriter w, long[] values)
    {
        if (values.Length == 0)
        {
            w.Write((byte)')');
            return;
        }
        w.Write((byte)'(');
        foreach (var v in values)
            Integer(w, v);
        w.Write((byte)'t');
    }

    /// <summary>An insertion-ordered Python dict.</summary>
    private sealed class PyDict
    {
        public List<KeyValuePair<object?, object?>> Items { get; } = new();

        public void Set(object? key, object? value)
        {
            for (var i = 0; i < Items.Count; i++)
                if (Equals(Items[i].Key, key))
                {
                    Items[i] = new(key, value);
                    return;
                }
            Items.Add(new(key, value));
        }

        public bool TryGet(string key, out object? value)
        {
            foreach (var (k, v) in Items)
                if (k is string s && s == key)
                {
                    value = v;
                    return true;
                }
            value = null;
            return false;
        }
    }

    private sealed record PyGlobal(string Module, string Name)
    {
        public override string ToString() => $"{Module}.{Name}";
    }

    private sealed record StorageType(ScalarType DType, int Size, string Name);

    private sealed class Mark
    {
        public static readonly Mark Instance = new();
    }

    /// <summary>The pickle subset of state_dicts, with an allow-list of globals instead of imports.</summary>
    private sealed class Unpickler(byte[] data, Func<string, string> bad, Func<string, ScalarType, int, long, Tensor> loadStorage)
    {
        private readonly Stack<object?> _stack = new();
        private readonly Dictionary<long, object?> _memo = new();
        private readonly Dictionary<string, Tensor> _storages = new(StringComparer.Ordinal);
        private int _position;

        public object? Run()
        {
            while (true)
            {
                var at = _position;
                var op = Byte();
                switch (op)
                {
                    case 0x80: Byte(); break; // PROTO
                    case 0x95: Bytes(8); break; // FRAME
                    case (byte)'c': Push(Allow(Line(), Line())); break;
                    case 0x93: // STACK_GLOBAL
                    {
                        var name = Pop() as string;
                        var module = Pop() as string;
                        if (name is null || module is null)
                            throw Error(at, "STACK_GLOBAL without two strings");
                        Push(Allow(module, name));
                        break;
                    }
                    case (byte)'q': _memo[Byte()] = Peek(at); break;
                    case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Peek(at); break;
                    case 0x94: _memo[_memo.Count] = Peek(at); break;
                    case (byte)'h': Push(Memo(Byte(), at)); break;
                    case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)), at)); break;
                    case (byte)')': Push(Array.Empty<object?>()); break;
                    case (byte)'}': Push(new PyDict()); break;
                    case (byte)']': Push(new List<object?>()); break;
                    case (byte)'(': Push(Mark.Instance); break;
                    case (byte)'t': Push(PopMark(at).ToArray()); break;
                    case 0x85: Push(new[] { Pop() }); break;
                    case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                    case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                    case (byte)'X': Push(Utf8(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))); break;
                    case 0x8c: Push(Utf8(Byte())); break;
                    case 0x8d: Push(Utf8(BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8)))); break;
                    case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break;
                    case (byte)'K': Push((long)Byte()); break;
                    case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break;
                    case 0x8a:
                    {
                        var n = Byte();
                        var value = new BigInteger(Bytes(n));
                        Push(value >= long.MinValue && value <= long.MaxValue ? (long)value : value);
                        break;
                    }
                    case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break;
                    case 0x88: Push(true); break;
                    case 0x89: Push(false); break;
                    case (byte)'N': Push(null); break;
                    case (byte)'Q': Push(PersistentLoad(Pop(), at)); break;
                    case (byte)'R':
                    {
                        var args = Pop() as object?[] ?? throw Error(at, "REDUCE arguments are not a tuple");
                        var callable = Pop() as PyGlobal ?? throw Error(at, "REDUCE of something that is not an allowed global");
                        Push(Call(callable, args, at));
                        break;
                    }
                    case (byte)'s':
                    {
                        var value = Pop();
                        var key = Pop();
                        (Peek(at) as PyDict ?? throw Error(at, "SETITEM on something that is not a dict")).Set(key, value);
                        break;
                    }
                    case (byte)'u':
                    {
                        var items = PopMark(at);
                        var dict = Peek(at) as PyDict ?? throw Error(at, "SETITEMS on something that is not a dict");
                        if (items.Count % 2 != 0)
                            throw Error(at, "SETITEMS with an odd number of items");
                        for (var i = 0; i < items.Count; i += 2)
                            dict.Set(items[i], items[i + 1]);
                        break;
                    }
                    case (byte)'a':
                    {
                        var value = Pop();
                        (Peek(at) as List<object?> ?? throw Error(at, "APPEND on something that is not a list")).Add(value);
                        break;
                    }
                    case (byte)'e':
                    {
                        var items = PopMark(at);
                        (Peek(at) as List<object?> ?? throw Error(at, "APPENDS on something that is not a list")).AddRange(items);
                        break;
                    }
                    case (byte)'b':
                    {
                        // torch pickles an OrderedDict's attributes (its _metadata) and tensors' Python state here;
                        // neither changes the tensors, so the state is dropped rather than applied.
                        Pop();
                        if (Peek(at) is not (PyDict or Tensor))
                            throw Error(at, "BUILD on something that is not a dict or a tensor");
                        break;
                    }
                    case (byte)'.':
                        if (_stack.Count != 1)
                            throw Error(at, "STOP with a malformed stack");
                        return _stack.Pop();
                    default:
                        throw Error(at, $"unsupported pickle opcode 0x{op:x2}");
                }
            }
        }

        private object? Memo(long index, int at) => _memo.TryGetValue(index, out var value) ? value : throw Error(at, $"memo entry {index} was never stored");

        private PyGlobal Allow(string module, string name)
        {
            var allowed = (module, name) switch
            {
                ("collections", "OrderedDict") => true,
                ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_parameter" or "_rebuild_parameter_with_state") => true,
                ("torch", _) when TensorTypes.TryFromStorage(name, out _, out _) => true,
                ("torch", "UntypedStorage") => true,
                _ => false,
            };
            if (!allowed)
                throw new InvalidDataException(bad($"it needs the Python global '{module}.{name}', which is not allowed (only tensors, storages and OrderedDict load, like torch.load(weights_only=True))"));
            return new PyGlobal(module, name);
        }

        private object? Call(PyGlobal callable, object?[] args, int at)
        {
            switch (callable.Module, callable.Name)
            {
                case ("collections", "OrderedDict") when args.Length == 0:
                    return new PyDict();
                case ("torch._utils", "_rebuild_tensor_v2") when args.Length is 6 or 7:
                    return RebuildTensor(args, at);
                case ("torch._utils", "_rebuild_parameter") when args.Length == 3 && args[0] is Tensor t:
                    return t;
                case ("torch._utils", "_rebuild_parameter_with_state") when args.Length == 4 && args[0] is Tensor t:
                    return t;
                default:
                    throw Error(at, $"call of {callable} with {args.Length} arguments is not part of a state_dict");
            }
        }

        private Tensor PersistentLoad(object? id, int at)
        {
            // ('storage', storage_type, key, location, numel)
            if (id is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PyGlobal type || t[2] is not string key || t[4] is not long numel)
                throw Error(at, "a persistent id that is not ('storage', type, key, location, numel)");
            if (!TensorTypes.TryFromStorage(type.Name, out var dtype, out var size))
                throw new InvalidDataException(bad($"storage '{key}' has type '{type}', which is not supported (UntypedStorage files from torch 2 name a typed storage too)"));
            if (!_storages.TryGetValue(key, out var storage))
                _storages[key] = storage = loadStorage(key, dtype, size, numel);
            else if (storage.dtype != dtype || storage.NumberOfElements != numel)
                throw Error(at, $"storage '{key}' is used with two different types or sizes");
            return storage;
        }

        private Tensor RebuildTensor(object?[] args, int at)
        {
            if (args[0] is not Tensor storage || args[1] is not long offset || args[2] is not object?[] size || args[3] is not object?[] stride || size.Length != stride.Length)
                throw Error(at, "_rebuild_tensor_v2 with arguments that are not (storage, offset, size, stride, ...)");
            var shape = new long[size.Length];
            var strides = new long[size.Length];
            for (var i = 0; i < size.Length; i++)
            {
                if (size[i] is not long s || s < 0 || stride[i] is not long st || st < 0)
                    throw Error(at, "a tensor size or stride that is not a non-negative integer");
                (shape[i], strides[i]) = (s, st);
            }
            var count = TensorTypes.CheckedElementCount(shape);
            if (count < 0 || offset < 0)
                throw Error(at, $"a tensor of shape [{string.Join(", ", shape)}] at offset {offset}, whose size overflows");
            if (count > 0)
            {
                // The last element's index must lie inside the storage.
                long last = offset;
                try
                {
                    for (var i = 0; i < shape.Length; i++)
                        last = checked(last + (shape[i] - 1) * strides[i]);
                }
                catch (OverflowException)
                {
                    last = long.MaxValue;
                }
                if (last >= storage.NumberOfElements)
                    throw Error(at, $"a tensor of shape [{string.Join(", ", shape)}] (strides [{string.Join(", ", strides)}], offset {offset}) reaches past its storage of {storage.NumberOfElements} elements");
            }
            else if (offset > storage.NumberOfElements)
                throw Error(at, $"an empty tensor at offset {offset} past its storage of {storage.NumberOfElements} elements");
            return storage.as_strided(shape, strides, offset).contiguous();
        }

        private InvalidDataException Error(int at, string problem) => new(bad($"data.pkl byte {at}: {problem}"));

        private void Push(object? value) => _stack.Push(value);

        private object? Pop()
        {
            if (_stack.Count == 0 || _stack.Peek() is Mark)
                throw Error(_position - 1, "the pickle stack ran empty");
            return _stack.Pop();
        }

        private object? Peek(int at) => _stack.Count == 0 || _stack.Peek() is Mark ? throw Error(at, "the pickle stack ran empty") : _stack.Peek();

        private List<object?> PopMark(int at)
        {
            var items = new List<object?>();
            while (true)
            {
                if (_stack.Count == 0)
                    throw Error(at, "no MARK on the pickle stack");
                var item = _stack.Pop();
                if (item is Mark)
                    break;
                items.Add(item);
            }
            items.Reverse();
            return items;
        }

        private byte Byte()
        {
            if (_position >= data.Length)
                throw Error(_position, "the pickle ends before STOP");
            return data[_position++];
        }

        private byte[] Bytes(long count)
        {
            if (count < 0 || count > data.Length - _position)
                throw Error(_position, $"a {count}-byte field runs past the end of the pickle");
            var bytes = data.AsSpan(_position, (int)count).ToArray();
            _position += (int)count;
            return bytes;
        }

        private string Utf8(ulong count) => Encoding.UTF8.GetString(Bytes(count > int.MaxValue ? -1 : (long)count));

        private string Line()
        {
            var end = Array.IndexOf(data, (byte)'\n', _position);
            if (end < 0)
                throw Error(_position, "a GLOBAL name without its newline");
            var text = Encoding.ASCII.GetString(data, _position, end - _position);
            _position = end + 1;
            return text;
        }
    }
}
