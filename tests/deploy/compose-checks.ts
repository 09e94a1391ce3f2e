// Static checks of a Docker Compose file (deploy/docker-compose.yml), as pure
// functions over its parsed YAML: each returns the problems it finds, so a
// test can show that a broken file is refused and the real one is not.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface ComposeService {
  image?: string;
  build?: unknown;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  deploy?: { resources?: { limits?: { cpus?: string | number; memory?: string | number } } };
  environment?: Record<string, string | number | boolean | null> | string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function readCompose(file: string): ComposeFile {
  const parsed = parse(readFileSync(file, "utf8")) as unknown;
  if (!parsed || typeof parsed !== "object" || !("services" in parsed) || !parsed.services || typeof parsed.services !== "object") {
    throw new Error(`${file} has no services`);
  }
  return parsed as ComposeFile;
}

const VERSION_TAG = /^v?\d+(\.\d+)*([.-][\w.-]+)?$/;

/** Every service names its image with an explicit version tag (or digest): never `latest`, never untagged. */
export function unpinnedImages(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const image = service.image;
    if (!image) {
      problems.push(`${name}: no image (a build alone is tagged "latest")`);
      continue;
    }
    if (/@sha256:[0-9a-f]{64}$/.test(image)) continue;
    const lastSlash = image.lastIndexOf("/");
    const colon = image.indexOf(":", lastSlash + 1);
    const tag = colon === -1 ? null : image.slice(colon + 1);
    if (tag === null) problems.push(`${name}: ${image} has no tag`);
    else if (tag.includes("$")) problems.push(`${name}: ${image} takes its tag from a variable`);
    else if (!VERSION_TAG.test(tag) || tag === "latest") problems.push(`${name}: ${image} is not pinned to a version`);
  }
  return problems;
}

export function missingHealthchecks(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const check = service.healthcheck;
    const test = check?.test;
    const empty = test === undefined || test.length === 0 || (Array.isArray(test) && (test[0] === "NONE" || test.length < 2));
    if (!check || check.disable || empty) problems.push(`${name}: no healthcheck`);
  }
  return problems;
}

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Compose's byte values: a number of bytes, or digits with b, k, m or g (kb, mb, gb too). */
export function parseBytes(value: string | number): number {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg])b?$/i.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a memory size`);
  return Math.round(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
}

/** Every service has a memory and a CPU limit, and no CPU limit exceeds the box's cores. */
export function missingLimits(compose: ComposeFile, cores: number): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const limits = service.deploy?.resources?.limits;
    if (limits?.memory === undefined) problems.push(`${name}: no memory limit`);
    const cpus = limits?.cpus === undefined ? NaN : Number(limits.cpus);
    if (!(cpus > 0)) problems.push(`${name}: no cpu limit`);
    else if (cpus > cores) problems.push(`${name}: cpu limit ${cpus} exceeds the box's ${cores} cores`);
  }
  return problems;
}

export function memoryLimitTotal(compose: ComposeFile): number {
  return Object.values(compose.services).reduce((sum, service) => {
    const memory = service.deploy?.resources?.limits?.memory;
    return sum + (memory === undefined ? 0 : parseBytes(memory));
  }, 0);
}

/** The names a service's `environment` sets or passes through (mapping or list form). */
export function environmentNames(service: ComposeService): Set<string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) return new Set(environment.map((entry) => entry.split("=")[0]!));
  return new Set(Object.keys(environment));
}

export function missingEnvironment(compose: ComposeFile, serviceName: string, variables: Iterable<string>): string[] {
  const service = compose.services[serviceName];
  if (!service) return [`no service "${serviceName}"`];
  const present = environmentNames(service);
  return [...variables].filter((name) => !present.has(name)).map((name) => `${serviceName}: ${name} is not in its environment`);
}

/** Names a service's environment sets that its code does not read: a secret handed where it is not needed. */
export function excessEnvironment(compose: ComposeFile, serviceName: string, allowed: Iterable<string>): string[] {
  const service = compose.services[serviceName];
  if (!service) return [`no service "${serviceName}"`];
  const permitted = new Set(allowed);
  return [...environmentNames(service)]
    .filter((name) => !permitted.has(name))
    .map((name) => `${serviceName}: ${name} is set but the ${serviceName} does not read it`);
}

/** Variables that `.env.example` neither sets nor shows commented out (`# NAME=`). */
export function undocumentedVariables(envExample: string, variables: Iterable<string>): string[] {
  const documented = new Set([...envExample.matchAll(/^#?\s?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
  return [...variables].filter((name) => !documented.has(name));
}

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` … interpolated by Compose (not `$${…}`, which the container's shell expands). */
export function interpolatedVariables(composeText: string): Set<string> {
  return new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!));
}
