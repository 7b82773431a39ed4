// The agreements module's public API: all another module may import from it.
export {
  type AreaInfo,
  agreementPath,
  areaPath,
  type CommitmentInfo,
  type CommitmentKey,
  commitmentCode,
  commitmentPath,
  findAreas,
  findCommitmentKeys,
  findCommitments,
} from './catalogue.ts';
