/** `vigil simulate`: placeholder until the simulator lands. */
export async function runSimulateCommand(_args: string[]): Promise<number> {
  console.log("simulate: not yet available");
  return 1;
}
