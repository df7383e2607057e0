import { completeFollowUp, listFollowUps } from '../../services/followUps.js';
import { createEngagement, listEngagements, recordResponse } from '../../services/engagements.js';
import { createMilestoneWithPhotos, listMilestones } from '../../services/milestones.js';
import { addPhotos, readPhoto } from '../../services/photos.js';
import { ownLead } from '../rules.js';
import { get, leadByCode, patch, post } from '../operation.js';
import { reads, runs, runsOn } from './shapes.js';

// A lead's journey (SPEC §3–4, §7): milestones with their photos, follow-ups, and
// engagements. A rep adds to and changes only their own leads' (main/api/rules.ts).

export const milestoneOperations = {
  'milestones.create': runs(createMilestoneWithPhotos, post('milestones/lead'), { creates: true, largeInput: true, who: { who: 'everyone', rep: ownLead('leads', 'lead_id') } }),
  'milestones.addPhotos': runs(addPhotos, post('milestones/:milestone_id/photos'), { creates: true, largeInput: true, who: { who: 'everyone', rep: ownLead('milestones', 'milestone_id') } }),
  'photos.get': reads(readPhoto, get('photos/:id')),
  'milestones.listByLead': reads(listMilestones, get('milestones/lead/:lead_id'), { byCode: leadByCode('lead_id') }),
  'milestones.completeFollowUp': runsOn(completeFollowUp, patch('milestones/:id/follow-up'), { who: { who: 'everyone', rep: ownLead('milestones', 'id') } }),
  'followUps.list': reads(listFollowUps, get('follow-ups')),
  'engagements.create': runs(createEngagement, post('engagement'), { creates: true, who: { who: 'everyone', rep: ownLead('leads', 'lead_id') } }),
  'engagements.listByLead': reads(listEngagements, get('engagement/:lead_id'), { byCode: leadByCode('lead_id') }),
  'engagements.recordResponse': runsOn(recordResponse, patch('engagement/:id/response'), { who: { who: 'everyone', rep: ownLead('engagements', 'id') } }),
};
