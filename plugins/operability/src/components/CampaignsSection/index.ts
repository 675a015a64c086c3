export { CampaignsSection } from './CampaignsSection';
