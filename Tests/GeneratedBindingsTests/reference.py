"""Python protobuf's encoding and JSON of a table of messages, for RoundTripTests.swift.

Usage: reference.py PROTO_ROOT           prints the table
       reference.py PROTO_ROOT --check   reads [{"name", "bytes"}] (hex) on stdin, prints
                                         the names whose bytes Python decodes to anything
                                         but that case's message
The table is a JSON array, one entry per case: its name, its message type, whether it
sets a map (whose entry order no two implementations need agree on), its deterministic
encoding in hex, and its JSON as json_format.MessageToJson prints it, with default
options and with always_print_fields_with_no_presence. The message classes are built at
run time from protoc's descriptor set of kinds.proto (no generated Python code).
"""
import json
import math
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

PROTO = "sessiongw/testing/v1/kinds.proto"


def message_classes(proto_root):
    with tempfile.TemporaryDirectory() as work:
        descriptors = os.path.join(work, "kinds.pb")
        subprocess.run([
            "protoc", "-I", proto_root, "-I", "/usr/include", "--include_imports", f"--descriptor_set_out={descriptors}", PROTO,
        ], check=True)
        files = descriptor_pb2.FileDescriptorSet()
        with open(descriptors, "rb") as handle:
            files.ParseFromString(handle.read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"sessiongw.testing.v1.{name}"))
            for name in ("Kinds", "Leaf")}


def cases(Kinds, Leaf):
    yield "empty", Kinds()
    yield "empty leaf", Leaf()
    yield "scalars", Kinds(
        a_double=1.5, a_float=0.1, an_int32=-7, an_int64=-9_000_000_000, a_uint32=7, a_uint64=9_000_000_000,
        a_sint32=-3, a_sint64=-4, a_fixed32=5, a_fixed64=6, an_sfixed32=-8, an_sfixed64=-9, a_bool=True,
        a_string="héllo, 世界 🌍", some_bytes=b"\x00\x01\xfe\xff", a_color=2)
    yield "maximal", Kinds(
        a_double=1.7976931348623157e308, a_float=3.4028234663852886e38, an_int32=2**31 - 1, an_int64=2**63 - 1,
        a_uint32=2**32 - 1, a_uint64=2**64 - 1, a_sint32=-(2**31), a_sint64=-(2**63), a_fixed32=2**32 - 1,
        a_fixed64=2**64 - 1, an_sfixed32=-(2**31), an_sfixed64=-(2**63), a_string="x" * 10_000,
        some_bytes=bytes(range(256)) * 40)
    yield "minimal numbers", Kinds(
        a_double=5e-324, a_float=1.401298464324817e-45, an_int32=-(2**31), an_int64=-(2**63))
    yield "non-finite", Kinds(a_double=math.inf, a_float=-math.inf, doubles=[math.nan, -math.inf, 0.25])
    yield "repeated", Kinds(
        doubles=[0.0, -1.25, 1e100], floats=[0.5, -2.5], int32s=[0, -1, 2**31 - 1], int64s=[-(2**63), 0, 5],
        uint32s=[0, 2**32 - 1], uint64s=[2**64 - 1, 1], sint32s=[-1, 1], sint64s=[-(2**63), 2**63 - 1],
        fixed32s=[1, 2], fixed64s=[3, 4], sfixed32s=[-5, 6], sfixed64s=[-7, 8], bools=[True, False, True],
        strings=["", "a", "ü"], byte_strings=[b"", b"\x00", b"\xff\xfe"], colors=[0, 1, 2],
        leaves=[Leaf(), Leaf(name="l", value=-1)])
    yield "maps", Kinds(
        labels={"": "empty key", "b": "2", "a": "1"},
        leaves_by_number={-1: Leaf(name="minus"), 0: Leaf(), 7: Leaf(name="seven", value=7)},
        colors_by_name={"red": 1, "none": 0}, bytes_by_id={-(2**63): b"\x00", 2**63 - 1: b""},
        doubles_by_id={0: 0.0, 2**32 - 1: -0.5})
    yield "unknown enum values", Kinds(
        a_color=7, colors=[1, 99, -3], colors_by_name={"x": 42}, an_inner=Kinds.Inner(shape=9))
    yield "nested", Kinds(
        a_leaf=Leaf(name="leaf", value=3), an_inner=Kinds.Inner(shape=1, leaves=[Leaf(name="a"), Leaf(value=2)]))
    yield "empty nested", Kinds(a_leaf=Leaf(), an_inner=Kinds.Inner())
    yield "oneof text", Kinds(choice_text="chosen")
    yield "oneof empty text", Kinds(choice_text="")
    yield "oneof zero number", Kinds(choice_number=0)
    yield "oneof number", Kinds(choice_number=-(2**63))
    yield "oneof leaf", Kinds(choice_leaf=Leaf(name="in a oneof"))
    yield "oneof empty leaf", Kinds(choice_leaf=Leaf())
    yield "oneof color", Kinds(choice_color=2)
    yield "oneof unknown color", Kinds(choice_color=12)
    yield "oneof bytes", Kinds(choice_bytes=b"\x00\xff")
    Timestamp = Kinds.DESCRIPTOR.fields_by_name["a_timestamp"].message_type._concrete_class
    Duration = Kinds.DESCRIPTOR.fields_by_name["a_duration"].message_type._concrete_class
    FieldMask = Kinds.DESCRIPTOR.fields_by_name["a_mask"].message_type._concrete_class
    yield "well-known types", Kinds(
        a_timestamp=Timestamp(seconds=1_700_000_000, nanos=250_000_000), a_duration=Duration(seconds=-1, nanos=-500),
        a_mask=FieldMask(paths=["labels", "data_link_ids", "home_volume.new_size_bytes"]),
        timestamps=[Timestamp(), Timestamp(seconds=253_402_300_799, nanos=999_999_999), Timestamp(seconds=-62_135_596_800)],
        durations_by_name={"hour": Duration(seconds=3600), "tick": Duration(nanos=1000), "zero": Duration()})
    yield "empty well-known types", Kinds(a_timestamp=Timestamp(), a_duration=Duration(), a_mask=FieldMask())


def main():
    classes = message_classes(sys.argv[1])
    messages = dict(cases(classes["Kinds"], classes["Leaf"]))
    if sys.argv[2:] == ["--check"]:
        wrong = []
        for entry in json.load(sys.stdin):
            expected = messages[entry["name"]]
            decoded = type(expected).FromString(bytes.fromhex(entry["bytes"]))
            # NaN differs from itself: compare those cases by their JSON instead.
            if decoded != expected and json_format.MessageToJson(decoded) != json_format.MessageToJson(expected):
                wrong.append(entry["name"])
        json.dump(wrong, sys.stdout)
        return
    table = []
    for name, message in messages.items():
        table.append({
            "name": name,
            "type": message.DESCRIPTOR.name,
            "hasMaps": any(field.message_type is not None and field.message_type.GetOptions().map_entry
                           for field, _ in message.ListFields()),
            "bytes": message.SerializeToString(deterministic=True).hex(),
            "json": json_format.MessageToJson(message),
            "jsonAlways": json_format.MessageToJson(message, always_print_fields_with_no_presence=True),
        })
    json.dump(table, sys.stdout)


if __name__ == "__main__":
    main()
