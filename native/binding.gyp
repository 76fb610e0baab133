{
  "targets": [
    {
      "target_name": "fleetvisor_spawn",
      "sources": ["src/addon.c", "src/child.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-fno-strict-aliasing"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
