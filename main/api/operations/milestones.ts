import { listByLeadInput } from '../../services/leads.js';
import { completeFollowUpInput, followUpsInput, completeFollowUp, listFollowUps } from '../../services/followUps.js';
import { engagementInput, responseInput, createEngagement, listEngagements, recordResponse } from '../../services/engagements.js';
import { milestoneInput, createMilestoneWithPhotos, listMilestones } from '../../services/milestones.js';
import { addPhotosInput, photoInput, addPhotos, readPhoto } from '../../services/photos.js';
import { everyone, ownLead } from '../rules.js';
import { get, leadByCode, operation, patch, post } from '../operation.js';
import { withId } from './shapes.js';

// A lead's journey (SPEC §3–4, §7): milestones with their photos, follow-ups, and
// engagements.

export const milestoneOperations = {
  'milestones.create': operation({
    input: milestoneInput,
    creates: true,
    largeInput: true,
    who: { who: 'everyone', rep: ownLead('leads', 'lead_id') },
    run: (s, input) => createMilestoneWithPhotos.parsed(s.ctx, input),
    routes: [post('milestones/lead')],
  }),
  'milestones.addPhotos': operation({
    input: addPhotosInput,
    creates: true,
    largeInput: true,
    who: { who: 'everyone', rep: ownLead('milestones', 'milestone_id') },
    run: (s, input) => addPhotos.parsed(s.ctx, input),
    routes: [post('milestones/:milestone_id/photos')],
  }),
  'photos.get': operation({ input: photoInput, who: everyone, reads: true, run: (s, input) => readPhoto.parsed(s.ctx, input), routes: [get('photos/:id')] }),
  'milestones.listByLead': operation({
    input: listByLeadInput,
    who: everyone,
    reads: true,
    byCode: leadByCode('lead_id'),
    run: (s, input) => listMilestones.parsed(s.ctx, input),
    routes: [get('milestones/lead/:lead_id')],
  }),
  'milestones.completeFollowUp': operation({
    input: withId(completeFollowUpInput),
    who: { who: 'everyone', rep: ownLead('milestones', 'id') },
    run: (s, { id, ...body }) => completeFollowUp.parsed(s.ctx, id, body),
    routes: [patch('milestones/:id/follow-up')],
  }),
  'followUps.list': operation({ input: followUpsInput, who: everyone, reads: true, run: (s, input) => listFollowUps.parsed(s.ctx, input), routes: [get('follow-ups')] }),
  'engagements.create': operation({
    input: engagementInput,
    creates: true,
    who: { who: 'everyone', rep: ownLead('leads', 'lead_id') },
    run: (s, input) => createEngagement.parsed(s.ctx, input),
    routes: [post('engagement')],
  }),
  'engagements.listByLead': operation({
    input: listByLeadInput,
    who: everyone,
    reads: true,
    byCode: leadByCode('lead_id'),
    run: (s, input) => listEngagements.parsed(s.ctx, input),
    routes: [get('engagement/:lead_id')],
  }),
  'engagements.recordResponse': operation({
    input: withId(responseInput),
    who: { who: 'everyone', rep: ownLead('engagements', 'id') },
    run: (s, { id, ...body }) => recordResponse.parsed(s.ctx, id, body),
    routes: [patch('engagement/:id/response')],
  }),
};
