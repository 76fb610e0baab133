{
  "targets": [
    {
      "target_name": "fleetvisor_spawn",
      "sources": ["src/addon.c", "src/child.c", "src/output.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-fno-strict-aliasing"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
