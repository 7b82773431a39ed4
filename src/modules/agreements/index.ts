// The agreements module's public API: all another module may import from it.

/** The agreement catalogue: areas and commitments, their codes ('3-2') and the addresses of their pages. */
export {
  type AreaInfo,
  type CommitmentInfo,
  type CommitmentKey,
  commitmentCode,
  commitmentPath,
  findAreas,
  findCommitmentKeys,
  findCommitments,
} from './catalogue.ts';
/** How pages name areas and commitments: '(3) …', 'Area (3), commitment 1', '3-1 Support…'. */
export { areaName, commitmentLabel, commitmentOptionLabel } from './labels.ts';
