import { describe, expect, it } from "vitest";
import { parseRequirement } from "../../../src/spec/pep508.js";

describe("parseRequirement (PEP 508)", () => {
  it.each([
    ["numpy", { name: "numpy", specifiers: [] }],
    ["numpy==2.2.6", { specifiers: [{ op: "==", version: "2.2.6" }] }],
    [
      "Pillow>=10,<12",
      {
        normalized: "pillow",
        specifiers: [
          { op: ">=", version: "10" },
          { op: "<", version: "12" },
        ],
      },
    ],
    [
      "requests[security, socks] ~= 2.31",
      { extras: ["security", "socks"], specifiers: [{ op: "~=", version: "2.31" }] },
    ],
    ["zope.interface (>=5.0)", { normalized: "zope-interface", specifiers: [{ op: ">=", version: "5.0" }] }],
    ["torch-geometric==2.5.*", { specifiers: [{ op: "==", version: "2.5.*" }] }],
    ["scipy!=1.11.0rc1", { specifiers: [{ op: "!=", version: "1.11.0rc1" }] }],
    ["pkg===weird-version", { specifiers: [{ op: "===", version: "weird-version" }] }],
    ["local==1.0+cu128", { specifiers: [{ op: "==", version: "1.0+cu128" }] }],
    [
      'uvloop; sys_platform != "win32" and python_version >= "3.9"',
      { marker: 'sys_platform != "win32" and python_version >= "3.9"' },
    ],
    [
      "pip @ https://github.com/pypa/pip/archive/22.0.2.zip",
      { url: "https://github.com/pypa/pip/archive/22.0.2.zip" },
    ],
    [
      'name @ https://example.org/x.whl ; (os_name == "a" or os_name == "b") and extra == "c"',
      { name: "name" },
    ],
    ["flash_attn[all] (>=2.6.3) ; 'linux' in sys_platform", { extras: ["all"] }],
  ])("accepts %s", (text, expected) => {
    expect(parseRequirement(text)).toMatchObject(expected);
  });

  it.each([
    ["numpy==", /expected a version after == at column 8/],
    ["numpy; rm -rf /", /expected a marker variable .* at column 8/],
    ["numpy rm -rf /", /expected "," a version, ";" markers or the end at column 7/],
    ["numpy==1.0 && curl x | sh", /column 12/],
    ["numpy==1.0.*.2", /not a PEP 440 version/],
    [">=1.0", /expected a package name/],
    ["numpy>=1.*", /not a PEP 440 version for >=/],
    ["pkg[extra", /expected "\]"/],
    ["pkg @ not-a-url", /expected a URL/],
    ['pkg; python_version >= "3.9" and', /expected a marker variable/],
    ['pkg; python_version >= "3.9', /expected a closing "/],
    ["", /expected a package name/],
    ["$(reboot)", /expected a package name/],
  ])("refuses %s", (text, message) => {
    expect(() => parseRequirement(text)).toThrow(message);
  });
});
