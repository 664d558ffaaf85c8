export * from "./types";
export * from "./sizes";
export * from "./models";
export * from "./cost";
